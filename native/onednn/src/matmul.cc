// Batched matrix product C[b] = op(A[b]) op(B[b]) (+ bias over the last axis, optional ReLU), as
// tfjs's BatchMatMul and _FusedMatMul. Transposes are expressed as strides, so no copy is made;
// a batch of 1 on either side broadcasts.
#include <algorithm>

#include "common.h"

namespace ldam {
namespace {

using dt = memory::data_type;

struct Product {
  int64_t ba, bb, m, k, n, transA, transB, bias, relu;
  explicit Product(const Dims& d)
      : ba(d[0]), bb(d[1]), m(d[2]), k(d[3]), n(d[4]), transA(d[5]), transB(d[6]), bias(d[7]), relu(d[8]) {}
  int64_t batch() const { return std::max(ba, bb); }
  memory::desc a() const {
    return {{ba, m, k}, dt::f32, transA ? memory::dims{m * k, 1, m} : memory::dims{m * k, k, 1}};
  }
  memory::desc b() const {
    return {{bb, k, n}, dt::f32, transB ? memory::dims{k * n, 1, k} : memory::dims{k * n, n, 1}};
  }
  memory::desc c() const { return {{batch(), m, n}, dt::f32, memory::dims{m * n, n, 1}}; }
  memory::desc biasDesc() const { return {{1, 1, n}, dt::f32, memory::dims{n, n, 1}}; }
};

Cache<dnnl::matmul> cache;

// Products up to this many multiply-adds run as plain loops on the calling thread: oneDNN's
// thread team and batched-matmul setup cost more than such a product (the LSTM gates' 2x8x4 by
// 2x4x16 took 0.5-3 ms through oneDNN on a loaded 2-core machine, microseconds as a loop).
constexpr int64_t smallProduct = 1 << 15;

void loopProduct(const Product& p, const float* a, const float* b, const float* bias, float* c) {
  for (int64_t t = 0; t < p.batch(); t++) {
    const float* at = a + (p.ba == 1 ? 0 : t * p.m * p.k);
    const float* bt = b + (p.bb == 1 ? 0 : t * p.k * p.n);
    float* ct = c + t * p.m * p.n;
    for (int64_t i = 0; i < p.m; i++) {
      float* row = ct + i * p.n;
      for (int64_t j = 0; j < p.n; j++) row[j] = bias != nullptr ? bias[j] : 0.f;
      for (int64_t q = 0; q < p.k; q++) {
        const float av = p.transA ? at[q * p.m + i] : at[i * p.k + q];
        if (p.transB) {
          for (int64_t j = 0; j < p.n; j++) row[j] += av * bt[j * p.k + q];
        } else {
          const float* bq = bt + q * p.n;
#pragma omp simd
          for (int64_t j = 0; j < p.n; j++) row[j] += av * bq[j];
        }
      }
      if (p.relu) {
        for (int64_t j = 0; j < p.n; j++) row[j] = std::max(row[j], 0.f);
      }
    }
  }
}

dnnl::matmul make(const Product& p) {
  dnnl::primitive_attr attr;
  if (p.relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  auto desc = p.bias ? dnnl::matmul::desc(p.a(), p.b(), p.biasDesc(), p.c()) : dnnl::matmul::desc(p.a(), p.b(), p.c());
  return dnnl::matmul(dnnl::matmul::primitive_desc(desc, attr, cpuEngine()));
}

// matmul([batchA, batchB, M, K, N, transposeA, transposeB, hasBias, relu], a, b, bias | null, c)
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  return guarded(info, "matmul", [&] {
    Dims d = intsOf(info[0], 9, "geometry");
    Product p(d);
    if (p.ba != p.bb && p.ba != 1 && p.bb != 1) throw std::invalid_argument("batch sizes must match or be 1");
    float* a = floatsOf(info[1], p.ba * p.m * p.k, "a");
    float* b = floatsOf(info[2], p.bb * p.k * p.n, "b");
    float* bias = p.bias ? floatsOf(info[3], p.n, "bias") : nullptr;
    float* c = floatsOf(info[4], p.batch() * p.m * p.n, "c");
    if (p.batch() * p.m * p.n * p.k <= smallProduct) return loopProduct(p, a, b, bias, c);
    auto& entry = cache[keyOf("m", d)];
    if (!entry) entry = std::make_unique<dnnl::matmul>(make(p));
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(p.a(), cpuEngine(), a)},
                                         {DNNL_ARG_WEIGHTS, memory(p.b(), cpuEngine(), b)},
                                         {DNNL_ARG_DST, memory(p.c(), cpuEngine(), c)}};
    if (bias != nullptr) args[DNNL_ARG_BIAS] = memory(p.biasDesc(), cpuEngine(), bias);
    entry->execute(cpuStream(), args);
    cpuStream().wait();
  });
}

}  // namespace

void registerMatmul(Napi::Env env, Napi::Object exports) { exports.Set("matmul", Napi::Function::New(env, Matmul)); }

}  // namespace ldam
