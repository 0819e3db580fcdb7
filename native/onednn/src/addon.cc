// Module entry: engine/stream, thread count, the ISA oneDNN dispatches to, and the kernel groups.
#include <omp.h>

#include <stdexcept>

#include "common.h"

namespace ldam {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

Dims intsOf(const Napi::Value& value, size_t expected, const char* what) {
  if (!value.IsArray()) throw std::invalid_argument(std::string(what) + " must be an array of integers");
  auto array = value.As<Napi::Array>();
  if (array.Length() != expected) {
    throw std::invalid_argument(std::string(what) + " must have " + std::to_string(expected) + " entries");
  }
  Dims out(expected);
  for (uint32_t i = 0; i < expected; i++) {
    Napi::Value v = array.Get(i);
    if (!v.IsNumber()) throw std::invalid_argument(std::string(what) + " must hold numbers");
    out[i] = v.As<Napi::Number>().Int64Value();
  }
  return out;
}

float* floatsOf(const Napi::Value& value, int64_t length, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw std::invalid_argument(std::string(what) + " must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  if (static_cast<int64_t>(array.ElementLength()) != length) {
    throw std::invalid_argument(std::string(what) + " has " + std::to_string(array.ElementLength()) +
                                " elements, expected " + std::to_string(length));
  }
  return array.Data();
}

float* optionalFloatsOf(const Napi::Value& value, int64_t length, const char* what) {
  if (value.IsNull() || value.IsUndefined()) return nullptr;
  return floatsOf(value, length, what);
}

std::string keyOf(const char* op, const Dims& dims) {
  std::string key(op);
  for (auto d : dims) {
    key += ',';
    key += std::to_string(d);
  }
  return key;
}

namespace {

const char* isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  const dnnl_version_t* v = dnnl_version();
  out.Set("isa", isaName(dnnl::get_effective_cpu_isa()));
  out.Set("version", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  out.Set("threads", omp_get_max_threads());
  return out;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "setThreads: threads must be a number");
  int threads = info[0].As<Napi::Number>().Int32Value();
  if (threads < 1) throw Napi::RangeError::New(info.Env(), "setThreads: threads must be >= 1");
  omp_set_num_threads(threads);
  return Napi::Number::New(info.Env(), omp_get_max_threads());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  registerConv(env, exports);
  registerMatmul(env, exports);
  registerBnorm(env, exports);
  registerPool(env, exports);
  registerEltwise(env, exports);
  registerCopy(env, exports);
  return exports;
}

}  // namespace
}  // namespace ldam

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return ldam::Init(env, exports); }

NODE_API_MODULE(ldam_onednn, InitAddon)
