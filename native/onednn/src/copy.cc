// Data movement and reductions of a training step that tfjs's cpu backend walks element by
// element: a box copy (Slice; PadV2 after a fill) and a sum over one contiguous block of axes
// (Sum/Mean over batch-norm's or global pooling's axes). Plain loops on the calling thread: they
// are memory-bound, and an OpenMP team on a busy machine costs more than it saves.
#include <algorithm>
#include <cstring>

#include "common.h"

namespace ldam {
namespace {

int64_t product(const Dims& dims, size_t from = 0, size_t to = SIZE_MAX) {
  int64_t n = 1;
  for (size_t i = from; i < std::min(to, dims.size()); i++) n *= dims[i];
  return n;
}

Dims stridesOf(const Dims& shape) {
  Dims strides(shape.size());
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

// copyBox(rank, src, srcShape, begin, dst, dstShape, offset, box): dst[offset + i] = src[begin + i]
// for every index i of `box` (all shapes of the same rank).
Napi::Value CopyBox(const Napi::CallbackInfo& info) {
  return guarded(info, "copyBox", [&] {
    if (!info[0].IsNumber()) throw std::invalid_argument("rank must be a number");
    size_t rank = info[0].As<Napi::Number>().Uint32Value();
    if (rank < 1 || rank > 8) throw std::invalid_argument("rank must be 1-8");
    Dims srcShape = intsOf(info[2], rank, "srcShape");
    Dims begin = intsOf(info[3], rank, "begin");
    Dims dstShape = intsOf(info[5], rank, "dstShape");
    Dims offset = intsOf(info[6], rank, "offset");
    Dims box = intsOf(info[7], rank, "box");
    for (size_t d = 0; d < rank; d++) {
      if (begin[d] < 0 || offset[d] < 0 || box[d] < 0 || begin[d] + box[d] > srcShape[d] ||
          offset[d] + box[d] > dstShape[d]) {
        throw std::invalid_argument("box out of bounds on axis " + std::to_string(d));
      }
    }
    const float* src = floatsOf(info[1], product(srcShape), "src");
    float* dst = floatsOf(info[4], product(dstShape), "dst");
    Dims srcStrides = stridesOf(srcShape);
    Dims dstStrides = stridesOf(dstShape);
    const int64_t run = box[rank - 1];
    const int64_t runs = product(box, 0, rank - 1);
    if (run == 0 || runs == 0) return;
    for (int64_t r = 0; r < runs; r++) {
      int64_t rest = r;
      int64_t from = begin[rank - 1];
      int64_t to = offset[rank - 1];
      for (size_t d = rank - 1; d-- > 0;) {
        int64_t i = rest % box[d];
        rest /= box[d];
        from += (begin[d] + i) * srcStrides[d];
        to += (offset[d] + i) * dstStrides[d];
      }
      std::memcpy(dst + to, src + from, static_cast<size_t>(run) * sizeof(float));
    }
  });
}

// fill(dst, value)
Napi::Value Fill(const Napi::CallbackInfo& info) {
  return guarded(info, "fill", [&] {
    if (!info[0].IsTypedArray()) throw std::invalid_argument("dst must be a Float32Array");
    int64_t n = static_cast<int64_t>(info[0].As<Napi::Float32Array>().ElementLength());
    float* dst = floatsOf(info[0], n, "dst");
    float value = info[1].As<Napi::Number>().FloatValue();
    std::fill(dst, dst + n, value);
  });
}

// reduceMiddle([outer, middle, inner], x, out, mean): out[o, i] = Σ_m x[o, m, i] (÷ middle if mean).
Napi::Value ReduceMiddle(const Napi::CallbackInfo& info) {
  return guarded(info, "reduceMiddle", [&] {
    Dims d = intsOf(info[0], 3, "shape");
    const int64_t outer = d[0], middle = d[1], inner = d[2];
    const float* x = floatsOf(info[1], outer * middle * inner, "x");
    float* out = floatsOf(info[2], outer * inner, "out");
    const bool mean = info[3].ToBoolean();
    const float scale = mean && middle > 0 ? 1.f / static_cast<float>(middle) : 1.f;
    for (int64_t o = 0; o < outer; o++) {
      float* acc = out + o * inner;
      std::fill(acc, acc + inner, 0.f);
      for (int64_t m = 0; m < middle; m++) {
        const float* row = x + (o * middle + m) * inner;
#pragma omp simd
        for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
      }
      for (int64_t i = 0; i < inner; i++) acc[i] *= scale;
    }
  });
}

}  // namespace

void registerCopy(Napi::Env env, Napi::Object exports) {
  exports.Set("copyBox", Napi::Function::New(env, CopyBox));
  exports.Set("fill", Napi::Function::New(env, Fill));
  exports.Set("reduceMiddle", Napi::Function::New(env, ReduceMiddle));
}

}  // namespace ldam
