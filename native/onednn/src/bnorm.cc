// Batch normalisation over every axis but the last (channels-last activations seen as
// [batch, spatial, C, 1] nhwc): training forward (batch statistics out), its backward (dx, dgamma,
// dbeta), and inference with given statistics. Variance is the biased one, as tf.moments gives.
// Training may end in a ReLU, optionally after adding a residual (a ResNet block's BN+ReLU and
// BN+add+ReLU): one call forward and one backward instead of three kernels and two more tensors.
#include <omp.h>

#include "common.h"

namespace ldam {
namespace {

using dnnl::normalization_flags;
using dnnl::prop_kind;
using dt = memory::data_type;
using tag = memory::format_tag;

// [batch, spatial, C] as nhwc {batch, C, spatial, 1}: oneDNN's kernels split work over batch and space.
memory::desc data(int64_t batch, int64_t spatial, int64_t channels) {
  return {{batch, channels, spatial, 1}, dt::f32, tag::nhwc};
}
memory::desc vec(int64_t channels) { return {{channels}, dt::f32, tag::a}; }

const auto scaleShift = normalization_flags::use_scale | normalization_flags::use_shift;

struct Shape {
  int64_t batch, spatial, c, rows;
  float eps;
  Dims key;
  memory::desc md() const { return data(batch, spatial, c); }
};

dnnl::batch_normalization_forward::primitive_desc forwardDesc(const Shape& s, bool training) {
  auto flags = training ? scaleShift : scaleShift | normalization_flags::use_global_stats;
  dnnl::batch_normalization_forward::desc desc(training ? prop_kind::forward_training : prop_kind::forward_inference,
                                               s.md(), s.eps, flags);
  return {desc, cpuEngine()};
}

struct Backward {
  dnnl::batch_normalization_backward prim;
  // oneDNN 2.6 fails to execute a backward with use_shift unless a shift argument is given.
  std::vector<float> dummyShift;
};

// Batch norm runs on the calling thread alone, primitives created and executed so. oneDNN's
// kernels meet at spinning barriers between the statistics and the normalisation passes: with
// two threads on a busy machine a step's batch norms took 335 ms of CPU instead of 36 ms on one
// (ResNet-32, batch 128, load 10), and on an idle one two threads gain nothing (memory-bound).
class SingleThreaded {
 public:
  SingleThreaded() : threads_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~SingleThreaded() { omp_set_num_threads(threads_); }
  SingleThreaded(const SingleThreaded&) = delete;
  SingleThreaded& operator=(const SingleThreaded&) = delete;

 private:
  int threads_;
};

Cache<dnnl::batch_normalization_forward> forwardCache;
Cache<Backward> backwardCache;

Shape shapeOf(const Napi::CallbackInfo& info) {
  Dims d = intsOf(info[0], 3, "shape");
  if (!info[1].IsNumber()) throw std::invalid_argument("epsilon must be a number");
  float eps = info[1].As<Napi::Number>().FloatValue();
  Dims key = d;
  key.push_back(static_cast<int64_t>(eps * 1e12));
  return {d[0], d[1], d[2], d[0] * d[1], eps, key};
}

// y ← max(y + residual, 0), or max(y, 0) without a residual (in place, vectorised: see eltwise.cc).
void addRelu(float* __restrict y, const float* __restrict residual, int64_t n) {
  if (residual == nullptr) {
#pragma omp simd
    for (int64_t i = 0; i < n; i++) y[i] = y[i] < 0.f ? 0.f : y[i];
    return;
  }
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    const float v = y[i] + residual[i];
    y[i] = v < 0.f ? 0.f : v;
  }
}

// masked = dy where the ReLU's output y > 0, else 0: the ReLU's gradient from its output, which
// the next layer keeps anyway (oneDNN's fuse_norm_relu would keep a workspace tensor instead).
void maskBy(const float* __restrict dy, const float* __restrict y, float* __restrict masked, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    const float d = dy[i];
    masked[i] = y[i] > 0.f ? d : 0.f;
  }
}

bool flagOf(const Napi::Value& v) { return v.IsBoolean() && v.As<Napi::Boolean>().Value(); }

// batchNormTrain([batch, spatial, C], eps, x, gamma, beta, y, mean, variance[, residual, relu])
Napi::Value Train(const Napi::CallbackInfo& info) {
  return guarded(info, "batchNormTrain", [&] {
    SingleThreaded oneThread;
    Shape s = shapeOf(info);
    auto md = s.md();
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, memory(md, cpuEngine(), floatsOf(info[2], s.rows * s.c, "x"))},
        {DNNL_ARG_SCALE, memory(vec(s.c), cpuEngine(), floatsOf(info[3], s.c, "gamma"))},
        {DNNL_ARG_SHIFT, memory(vec(s.c), cpuEngine(), floatsOf(info[4], s.c, "beta"))},
        {DNNL_ARG_DST, memory(md, cpuEngine(), floatsOf(info[5], s.rows * s.c, "y"))},
        {DNNL_ARG_MEAN, memory(vec(s.c), cpuEngine(), floatsOf(info[6], s.c, "mean"))},
        {DNNL_ARG_VARIANCE, memory(vec(s.c), cpuEngine(), floatsOf(info[7], s.c, "variance"))}};
    const float* residual = optionalFloatsOf(info[8], s.rows * s.c, "residual");
    const bool relu = flagOf(info[9]);
    if (residual != nullptr && !relu) throw std::invalid_argument("a residual needs relu");
    auto& entry = forwardCache[keyOf("t", s.key)];
    if (!entry) entry = std::make_unique<dnnl::batch_normalization_forward>(forwardDesc(s, true));
    entry->execute(cpuStream(), args);
    cpuStream().wait();
    if (relu) addRelu(static_cast<float*>(args.at(DNNL_ARG_DST).get_data_handle()), residual, s.rows * s.c);
  });
}

// batchNormTrainGrad([batch, spatial, C], eps, dy, x, gamma, mean, variance, dx, dgamma, dbeta[, y, masked])
// With y (the output of a trailing ReLU), dy is first masked into `masked`, which is then also the
// gradient of a residual added before the ReLU.
Napi::Value TrainGrad(const Napi::CallbackInfo& info) {
  return guarded(info, "batchNormTrainGrad", [&] {
    SingleThreaded oneThread;
    Shape s = shapeOf(info);
    auto md = s.md();
    auto& entry = backwardCache[keyOf("b", s.key)];
    if (!entry) {
      auto hint = forwardDesc(s, true);
      dnnl::batch_normalization_backward::desc desc(prop_kind::backward, md, md, s.eps, scaleShift);
      entry = std::make_unique<Backward>(
          Backward{dnnl::batch_normalization_backward({desc, cpuEngine(), hint}), std::vector<float>(s.c, 0.f)});
    }
    float* dy = floatsOf(info[2], s.rows * s.c, "dy");
    const float* y = optionalFloatsOf(info[10], s.rows * s.c, "y");
    if (y != nullptr) {
      float* masked = floatsOf(info[11], s.rows * s.c, "masked");
      maskBy(dy, y, masked, s.rows * s.c);
      dy = masked;
    }
    std::unordered_map<int, memory> args{
        {DNNL_ARG_DIFF_DST, memory(md, cpuEngine(), dy)},
        {DNNL_ARG_SRC, memory(md, cpuEngine(), floatsOf(info[3], s.rows * s.c, "x"))},
        {DNNL_ARG_SCALE, memory(vec(s.c), cpuEngine(), floatsOf(info[4], s.c, "gamma"))},
        {DNNL_ARG_SHIFT, memory(vec(s.c), cpuEngine(), entry->dummyShift.data())},
        {DNNL_ARG_MEAN, memory(vec(s.c), cpuEngine(), floatsOf(info[5], s.c, "mean"))},
        {DNNL_ARG_VARIANCE, memory(vec(s.c), cpuEngine(), floatsOf(info[6], s.c, "variance"))},
        {DNNL_ARG_DIFF_SRC, memory(md, cpuEngine(), floatsOf(info[7], s.rows * s.c, "dx"))},
        {DNNL_ARG_DIFF_SCALE, memory(vec(s.c), cpuEngine(), floatsOf(info[8], s.c, "dgamma"))},
        {DNNL_ARG_DIFF_SHIFT, memory(vec(s.c), cpuEngine(), floatsOf(info[9], s.c, "dbeta"))}};
    entry->prim.execute(cpuStream(), args);
    cpuStream().wait();
  });
}

// batchNormInfer([batch, spatial, C], eps, x, mean, variance, gamma, beta, y)
Napi::Value Infer(const Napi::CallbackInfo& info) {
  return guarded(info, "batchNormInfer", [&] {
    SingleThreaded oneThread;
    Shape s = shapeOf(info);
    auto md = s.md();
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, memory(md, cpuEngine(), floatsOf(info[2], s.rows * s.c, "x"))},
        {DNNL_ARG_MEAN, memory(vec(s.c), cpuEngine(), floatsOf(info[3], s.c, "mean"))},
        {DNNL_ARG_VARIANCE, memory(vec(s.c), cpuEngine(), floatsOf(info[4], s.c, "variance"))},
        {DNNL_ARG_SCALE, memory(vec(s.c), cpuEngine(), floatsOf(info[5], s.c, "gamma"))},
        {DNNL_ARG_SHIFT, memory(vec(s.c), cpuEngine(), floatsOf(info[6], s.c, "beta"))},
        {DNNL_ARG_DST, memory(md, cpuEngine(), floatsOf(info[7], s.rows * s.c, "y"))}};
    auto& entry = forwardCache[keyOf("i", s.key)];
    if (!entry) entry = std::make_unique<dnnl::batch_normalization_forward>(forwardDesc(s, false));
    entry->execute(cpuStream(), args);
    cpuStream().wait();
  });
}

}  // namespace

void registerBnorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormTrain", Napi::Function::New(env, Train));
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, TrainGrad));
  exports.Set("batchNormInfer", Napi::Function::New(env, Infer));
}

}  // namespace ldam
