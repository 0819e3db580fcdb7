// The Hono environment of the API: what middleware hands to the routes.
export interface AppEnv {
  Variables: {
    /** The authenticated key's owner (`local` without configured keys). */
    owner: string;
  };
}
