// Shared helpers of the addon: one CPU engine and stream, argument checks, primitive caches.
#pragma once
#include <napi.h>

#include <cstdint>
#include <dnnl.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ldam {

using dnnl::memory;
using Dims = std::vector<int64_t>;

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

// Integer parameters arrive as one JS array of numbers (shape, strides, pads, flags).
Dims intsOf(const Napi::Value& value, size_t expected, const char* what);

// A Float32Array argument whose length must be exactly `length` (a short buffer would let a
// primitive read or write past its end).
float* floatsOf(const Napi::Value& value, int64_t length, const char* what);

// Optional Float32Array (null/undefined allowed): nullptr when absent.
float* optionalFloatsOf(const Napi::Value& value, int64_t length, const char* what);

std::string keyOf(const char* op, const Dims& dims);

// Primitive descriptors are created once per shape: creation costs more than many small kernels.
template <class T>
using Cache = std::unordered_map<std::string, std::unique_ptr<T>>;

// Runs `body`, turning oneDNN and argument errors into JS exceptions with the op's name.
template <class F>
Napi::Value guarded(const Napi::CallbackInfo& info, const char* op, F body) {
  try {
    body();
  } catch (const dnnl::error& e) {
    throw Napi::Error::New(info.Env(), std::string(op) + ": oneDNN: " + e.what());
  } catch (const std::invalid_argument& e) {
    throw Napi::TypeError::New(info.Env(), std::string(op) + ": " + e.what());
  }
  return info.Env().Undefined();
}

void registerConv(Napi::Env env, Napi::Object exports);
void registerMatmul(Napi::Env env, Napi::Object exports);
void registerBnorm(Napi::Env env, Napi::Object exports);
void registerPool(Napi::Env env, Napi::Object exports);
void registerEltwise(Napi::Env env, Napi::Object exports);
void registerCopy(Napi::Env env, Napi::Object exports);

}  // namespace ldam
