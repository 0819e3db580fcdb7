{
  "targets": [
    {
      "target_name": "ldam_onednn",
      "sources": [
        "src/addon.cc",
        "src/conv.cc",
        "src/matmul.cc",
        "src/bnorm.cc",
        "src/pool.cc",
        "src/eltwise.cc",
        "src/copy.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fopenmp"],
      "libraries": ["-ldnnl", "-fopenmp"],
      "conditions": [
        [
          "OS=='mac'",
          {
            "xcode_settings": {
              "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
              "OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-O3", "-Xpreprocessor", "-fopenmp"],
              "OTHER_LDFLAGS": ["-ldnnl", "-lomp"]
            },
            "include_dirs": ["/opt/homebrew/include", "/usr/local/include"],
            "library_dirs": ["/opt/homebrew/lib", "/usr/local/lib"]
          }
        ]
      ]
    }
  ]
}
