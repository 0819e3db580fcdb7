// 2-D convolution and both gradients. Activations are NHWC (tfjs's layout, used in place); the
// filter is tfjs's [KH, KW, I, O] (oneDNN `hwio`). Weights are declared `format_tag::any` so
// oneDNN picks its blocked layout: plain hwio falls back to a GEMM path 2.5-7x slower. The
// reorder to and from the blocked layout runs per call (microseconds).
#include "common.h"

namespace ldam {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;
using tag = memory::format_tag;
using dt = memory::data_type;

// [N, H, W, C, KH, KW, O, OH, OW, strideH, strideW, dilationH, dilationW, padTop, padLeft,
//  padBottom, padRight]; dilations as tfjs counts them (1 = dense).
struct Geometry {
  int64_t n, h, w, c, kh, kw, o, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
  explicit Geometry(const Dims& d)
      : n(d[0]), h(d[1]), w(d[2]), c(d[3]), kh(d[4]), kw(d[5]), o(d[6]), oh(d[7]), ow(d[8]), sh(d[9]),
        sw(d[10]), dh(d[11]), dw(d[12]), pt(d[13]), pl(d[14]), pb(d[15]), pr(d[16]) {}
  memory::desc src() const { return {{n, c, h, w}, dt::f32, tag::nhwc}; }
  memory::desc dst() const { return {{n, o, oh, ow}, dt::f32, tag::nhwc}; }
  memory::desc userWeights() const { return {{o, c, kh, kw}, dt::f32, tag::hwio}; }
  memory::desc anyWeights() const { return {{o, c, kh, kw}, dt::f32, tag::any}; }
  memory::dims strides() const { return {sh, sw}; }
  memory::dims dilations() const { return {dh - 1, dw - 1}; }
  memory::dims padL() const { return {pt, pl}; }
  memory::dims padR() const { return {pb, pr}; }
  int64_t srcSize() const { return n * h * w * c; }
  int64_t dstSize() const { return n * oh * ow * o; }
  int64_t weightSize() const { return kh * kw * c * o; }
};

constexpr size_t geometrySize = 17;

dnnl::convolution_forward::primitive_desc forwardDesc(const Geometry& g, bool bias, bool relu) {
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  auto desc = bias ? dnnl::convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct,
                                                     g.src(), g.anyWeights(), memory::desc({g.o}, dt::f32, tag::a),
                                                     g.dst(), g.strides(), g.dilations(), g.padL(), g.padR())
                   : dnnl::convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct,
                                                     g.src(), g.anyWeights(), g.dst(), g.strides(), g.dilations(),
                                                     g.padL(), g.padR());
  return {desc, attr, cpuEngine()};
}

// Weights in the layout a primitive wants, converted from/to the user's hwio when they differ.
struct WeightsLayout {
  memory::desc user;
  memory::desc chosen;
  bool reorder;
  std::unique_ptr<dnnl::reorder> convert;
  memory scratch;
  WeightsLayout(const memory::desc& userDesc, const memory::desc& chosenDesc, bool toUser)
      : user(userDesc), chosen(chosenDesc), reorder(userDesc != chosenDesc) {
    if (!reorder) return;
    scratch = memory(chosen, cpuEngine());
    auto pd = toUser ? dnnl::reorder::primitive_desc(cpuEngine(), chosen, cpuEngine(), user)
                     : dnnl::reorder::primitive_desc(cpuEngine(), user, cpuEngine(), chosen);
    convert = std::make_unique<dnnl::reorder>(pd);
  }
  // The weights as the primitive reads them.
  memory in(float* data) {
    memory userMem(user, cpuEngine(), data);
    if (!reorder) return userMem;
    convert->execute(cpuStream(), {{DNNL_ARG_FROM, userMem}, {DNNL_ARG_TO, scratch}});
    return scratch;
  }
  // Where the primitive writes weights; `out(data)` then copies them to the user buffer.
  memory target(float* data) { return reorder ? scratch : memory(user, cpuEngine(), data); }
  void out(float* data) {
    if (!reorder) return;
    memory userMem(user, cpuEngine(), data);
    convert->execute(cpuStream(), {{DNNL_ARG_FROM, scratch}, {DNNL_ARG_TO, userMem}});
  }
};

struct Forward {
  dnnl::convolution_forward prim;
  WeightsLayout weights;
  Forward(const dnnl::convolution_forward::primitive_desc& pd, const memory::desc& user)
      : prim(pd), weights(user, pd.weights_desc(), false) {}
};

struct BackwardData {
  dnnl::convolution_backward_data prim;
  WeightsLayout weights;
  BackwardData(const dnnl::convolution_backward_data::primitive_desc& pd, const memory::desc& user)
      : prim(pd), weights(user, pd.weights_desc(), false) {}
};

struct BackwardWeights {
  dnnl::convolution_backward_weights prim;
  WeightsLayout weights;
  BackwardWeights(const dnnl::convolution_backward_weights::primitive_desc& pd, const memory::desc& user)
      : prim(pd), weights(user, pd.diff_weights_desc(), true) {}
};

Cache<Forward> forwardCache;
Cache<BackwardData> backwardDataCache;
Cache<BackwardWeights> backwardWeightsCache;

// conv2d(geometry, [hasBias, relu], x, filter, bias | null, y)
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  return guarded(info, "conv2d", [&] {
    Dims d = intsOf(info[0], geometrySize, "geometry");
    Dims flags = intsOf(info[1], 2, "flags");
    Geometry g(d);
    float* x = floatsOf(info[2], g.srcSize(), "x");
    float* w = floatsOf(info[3], g.weightSize(), "filter");
    float* b = flags[0] ? floatsOf(info[4], g.o, "bias") : nullptr;
    float* y = floatsOf(info[5], g.dstSize(), "y");
    d.insert(d.end(), flags.begin(), flags.end());
    auto& entry = forwardCache[keyOf("f", d)];
    if (!entry) {
      entry = std::make_unique<Forward>(forwardDesc(g, flags[0] != 0, flags[1] != 0), g.userWeights());
    }
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                         {DNNL_ARG_WEIGHTS, entry->weights.in(w)},
                                         {DNNL_ARG_DST, memory(g.dst(), cpuEngine(), y)}};
    if (b != nullptr) args[DNNL_ARG_BIAS] = memory({{g.o}, dt::f32, tag::a}, cpuEngine(), b);
    entry->prim.execute(cpuStream(), args);
    cpuStream().wait();
  });
}

// conv2dBackpropInput(geometry, dy, filter, dx)
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  return guarded(info, "conv2dBackpropInput", [&] {
    Dims d = intsOf(info[0], geometrySize, "geometry");
    Geometry g(d);
    float* dy = floatsOf(info[1], g.dstSize(), "dy");
    float* w = floatsOf(info[2], g.weightSize(), "filter");
    float* dx = floatsOf(info[3], g.srcSize(), "dx");
    auto& entry = backwardDataCache[keyOf("d", d)];
    if (!entry) {
      auto hint = forwardDesc(g, false, false);
      dnnl::convolution_backward_data::desc desc(algorithm::convolution_direct, g.src(), g.anyWeights(), g.dst(),
                                                 g.strides(), g.dilations(), g.padL(), g.padR());
      entry = std::make_unique<BackwardData>(
          dnnl::convolution_backward_data::primitive_desc(desc, cpuEngine(), hint), g.userWeights());
    }
    entry->prim.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                      {DNNL_ARG_WEIGHTS, entry->weights.in(w)},
                                      {DNNL_ARG_DIFF_SRC, memory(g.src(), cpuEngine(), dx)}});
    cpuStream().wait();
  });
}

// conv2dBackpropFilter(geometry, x, dy, dw)
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  return guarded(info, "conv2dBackpropFilter", [&] {
    Dims d = intsOf(info[0], geometrySize, "geometry");
    Geometry g(d);
    float* x = floatsOf(info[1], g.srcSize(), "x");
    float* dy = floatsOf(info[2], g.dstSize(), "dy");
    float* dw = floatsOf(info[3], g.weightSize(), "dw");
    auto& entry = backwardWeightsCache[keyOf("w", d)];
    if (!entry) {
      auto hint = forwardDesc(g, false, false);
      dnnl::convolution_backward_weights::desc desc(algorithm::convolution_direct, g.src(), g.anyWeights(), g.dst(),
                                                    g.strides(), g.dilations(), g.padL(), g.padR());
      entry = std::make_unique<BackwardWeights>(
          dnnl::convolution_backward_weights::primitive_desc(desc, cpuEngine(), hint), g.userWeights());
    }
    entry->prim.execute(cpuStream(), {{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                      {DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                      {DNNL_ARG_DIFF_WEIGHTS, entry->weights.target(dw)}});
    entry->weights.out(dw);
    cpuStream().wait();
  });
}

}  // namespace

void registerConv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2d));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter));
}

}  // namespace ldam
