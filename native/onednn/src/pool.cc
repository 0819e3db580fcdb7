// Max and average 2-D pooling (NHWC) and their gradients. Average pooling excludes padding, as
// tfjs does; the max-pool gradient reruns the forward to get oneDNN's argmax workspace.
#include "common.h"

namespace ldam {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;
using dt = memory::data_type;
using tag = memory::format_tag;

// [N, H, W, C, KH, KW, OH, OW, strideH, strideW, padTop, padLeft, padBottom, padRight, isMax]
struct Window {
  int64_t n, h, w, c, kh, kw, oh, ow, sh, sw, pt, pl, pb, pr, isMax;
  explicit Window(const Dims& d)
      : n(d[0]), h(d[1]), w(d[2]), c(d[3]), kh(d[4]), kw(d[5]), oh(d[6]), ow(d[7]), sh(d[8]), sw(d[9]),
        pt(d[10]), pl(d[11]), pb(d[12]), pr(d[13]), isMax(d[14]) {}
  memory::desc src() const { return {{n, c, h, w}, dt::f32, tag::nhwc}; }
  memory::desc dst() const { return {{n, c, oh, ow}, dt::f32, tag::nhwc}; }
  algorithm alg() const { return isMax ? algorithm::pooling_max : algorithm::pooling_avg_exclude_padding; }
  dnnl::pooling_forward::primitive_desc forward(prop_kind kind) const {
    dnnl::pooling_forward::desc desc(kind, alg(), src(), dst(), {sh, sw}, {kh, kw}, {pt, pl}, {pb, pr});
    return {desc, cpuEngine()};
  }
};

struct Backward {
  dnnl::pooling_backward prim;
  std::unique_ptr<dnnl::pooling_forward> forward;  // max only: produces the workspace
  memory scratchDst;
  memory workspace;
};

Cache<dnnl::pooling_forward> forwardCache;
Cache<Backward> backwardCache;

// pool2d(window, x, y)
Napi::Value Pool2d(const Napi::CallbackInfo& info) {
  return guarded(info, "pool2d", [&] {
    Dims d = intsOf(info[0], 15, "window");
    Window g(d);
    float* x = floatsOf(info[1], g.n * g.h * g.w * g.c, "x");
    float* y = floatsOf(info[2], g.n * g.oh * g.ow * g.c, "y");
    auto& entry = forwardCache[keyOf("p", d)];
    if (!entry) entry = std::make_unique<dnnl::pooling_forward>(g.forward(prop_kind::forward_inference));
    entry->execute(cpuStream(),
                   {{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)}, {DNNL_ARG_DST, memory(g.dst(), cpuEngine(), y)}});
    cpuStream().wait();
  });
}

std::unique_ptr<Backward> makeBackward(const Window& g) {
  auto hint = g.forward(prop_kind::forward_training);
  dnnl::pooling_backward::desc desc(g.alg(), g.src(), g.dst(), {g.sh, g.sw}, {g.kh, g.kw}, {g.pt, g.pl},
                                    {g.pb, g.pr});
  auto entry = std::make_unique<Backward>(Backward{dnnl::pooling_backward({desc, cpuEngine(), hint}), nullptr, {}, {}});
  if (g.isMax) {
    entry->forward = std::make_unique<dnnl::pooling_forward>(hint);
    entry->scratchDst = memory(g.dst(), cpuEngine());
    entry->workspace = memory(hint.workspace_desc(), cpuEngine());
  }
  return entry;
}

// pool2dGrad(window, dy, x, dx)
Napi::Value Pool2dGrad(const Napi::CallbackInfo& info) {
  return guarded(info, "pool2dGrad", [&] {
    Dims d = intsOf(info[0], 15, "window");
    Window g(d);
    float* dy = floatsOf(info[1], g.n * g.oh * g.ow * g.c, "dy");
    float* x = g.isMax ? floatsOf(info[2], g.n * g.h * g.w * g.c, "x") : nullptr;
    float* dx = floatsOf(info[3], g.n * g.h * g.w * g.c, "dx");
    auto& entry = backwardCache[keyOf("g", d)];
    if (!entry) entry = makeBackward(g);
    std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                         {DNNL_ARG_DIFF_SRC, memory(g.src(), cpuEngine(), dx)}};
    if (g.isMax) {
      entry->forward->execute(cpuStream(), {{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                            {DNNL_ARG_DST, entry->scratchDst},
                                            {DNNL_ARG_WORKSPACE, entry->workspace}});
      args[DNNL_ARG_WORKSPACE] = entry->workspace;
    }
    entry->prim.execute(cpuStream(), args);
    cpuStream().wait();
  });
}

}  // namespace

void registerPool(Napi::Env env, Napi::Object exports) {
  exports.Set("pool2d", Napi::Function::New(env, Pool2d));
  exports.Set("pool2dGrad", Napi::Function::New(env, Pool2dGrad));
}

}  // namespace ldam
