// npm run bench:pipeline — decode + augment throughput of the image input pipeline alone, at the
// iNaturalist recipe (JPEG photo → shorter side 256 → random 224×224 crop + flip → normalised
// floats), and how many vCPUs it takes to feed one GPU at ~400 img/s (a V100/A10G ResNet-50 fp32
// step rate). PIL + NumPy (torchvision's decode path) on the same images, in the same run, beside it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeRgb } from '../../trainer/data/images/decode.ts';
import { prefetchInOrder } from '../../trainer/data/images/prefetch.ts';
import { renderRegion, trainRegion } from '../../trainer/data/images/transform.ts';
import { createRng } from '../../trainer/random/rng.ts';
import { imagenetMean, imagenetStd } from '../../trainer/spec/index.ts';

const gpuImagesPerSecond = 400;
const photos = 48;
const passes = 3;
const size = 224;

/** Noisy photo-like JPEGs at iNaturalist's typical 500×375 / 375×500, quality 90. */
async function writePhotos(dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < photos; i++) {
    const [w, h] = i % 3 === 0 ? [375, 500] : [500, 375];
    const noise = Buffer.alloc(w * h * 3);
    const rng = createRng(i);
    for (let p = 0; p < noise.length; p++) noise[p] = ((p / 3) % w) / 2 + rng.int(64);
    const path = join(dir, `photo-${i}.jpg`);
    await writeFile(
      path,
      await sharp(noise, { raw: { width: w, height: h, channels: 3 } })
        .blur(1)
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    paths.push(path);
  }
  return paths;
}

async function measure(files: readonly Uint8Array[], concurrency: number): Promise<number> {
  const out = new Float32Array(size * size * 3);
  const norm = { mean: imagenetMean, std: imagenetStd };
  const crop = { kind: 'random', padding: 0, flip: true } as const;
  const count = files.length * passes;
  const started = performance.now();
  const images = prefetchInOrder(
    count,
    async (i) => {
      const image = await decodeRgb(files[i % files.length] as Uint8Array, `photo-${i}`, 256);
      return { value: image, bytes: image.pixels.byteLength };
    },
    { concurrency, maxBufferedBytes: 64 * 1024 ** 2 },
  );
  let n = 0;
  for await (const image of images) {
    renderRegion(image, trainRegion(image, size, crop, createRng(n++)), size, norm, out, 0);
  }
  return count / ((performance.now() - started) / 1000);
}

function pillow(dir: string): number | undefined {
  const script = `
import glob, time, random, numpy as np
from PIL import Image
files = sorted(glob.glob(${JSON.stringify(join(dir, '*.jpg'))}))
mean = np.array([0.485, 0.456, 0.406], np.float32); std = np.array([0.229, 0.224, 0.225], np.float32)
t = time.perf_counter(); n = 0
for _ in range(${passes}):
  for f in files:
    im = Image.open(f).convert('RGB'); w, h = im.size; s = 256 / min(w, h)
    im = im.resize((round(w * s), round(h * s)), Image.BILINEAR)
    x, y = random.randint(0, im.width - ${size}), random.randint(0, im.height - ${size})
    im = im.crop((x, y, x + ${size}, y + ${size}))
    if random.random() < 0.5: im = im.transpose(Image.FLIP_LEFT_RIGHT)
    a = (np.asarray(im, np.float32) / 255 - mean) / std; n += 1
print(n / (time.perf_counter() - t))`;
  try {
    return Number(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

const dir = await mkdtemp(join(tmpdir(), 'ldam-bench-pipeline-'));
try {
  const paths = await writePhotos(dir);
  const files = await Promise.all(paths.map((p) => readFile(p)));
  await measure(files.slice(0, 8), 1);
  const one = await measure(files, 1);
  const two = await measure(files, 2);
  const pil = pillow(dir);
  // Per core with both cores busy: decodes overlap the JS crop, as they do in training.
  const perCore = two / 2;
  const vcpus = Math.ceil(gpuImagesPerSecond / perCore);
  const rows = [
    ['sharp (libvips) + JS crop/flip/normalise, 1 decode at a time', one.toFixed(0)],
    ['same, 2 decodes at once (both cores)', two.toFixed(0)],
    ['PIL + NumPy (torchvision-style), 1 process', pil === undefined ? 'n/a' : pil.toFixed(0)],
  ];
  process.stdout.write(
    `decode + augment, ${photos} JPEGs of 500×375 × ${passes} passes → ${size}×${size}:\n\n`,
  );
  process.stdout.write('| pipeline | img/s |\n| --- | --- |\n');
  for (const [name, rate] of rows) process.stdout.write(`| ${name} | ${rate} |\n`);
  process.stdout.write(
    `\nvCPUs to feed one GPU at ${gpuImagesPerSecond} img/s: ${vcpus} (at ${perCore.toFixed(0)} img/s per core)\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
