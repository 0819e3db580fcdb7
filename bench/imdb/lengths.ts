// Review lengths of the real aclImdb training split, as the generator's log-normal in words, fitted
// to published counts: of its 25,000 reviews, 2,773 have ≤ 100 tokens and 14,244 ≤ 200 (Keras's
// `imdb.load_data` word indices; the counts are in the notes of TensorFlow's fix of that loader's
// `maxlen` filter, tensorflow/python/keras/datasets, r2.3). Φ⁻¹(0.111) = −1.221 and
// Φ⁻¹(0.570) = 0.176 give σ = ln 2 / 1.397 = 0.50 and a median of 200 · e^(−0.176 σ) = 183 words.
// The reviews themselves are not reachable from these machines, so nothing finer is fitted.
export const imdbLengths = { medianWords: 183, sigma: 0.5, maxWords: 2_500 } as const;
