// swift-tools-version: 6.0
// SelfSup Lab: a terminal notebook for learning self-supervised learning by doing it.
// Dependencies point one way, top to bottom (see ARCHITECTURE.md).
import PackageDescription

let optimised: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "SelfSupLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "selfsup", targets: ["selfsup"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),
        .systemLibrary(name: "CZMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"]), .brew(["zeromq"])]),
        .target(name: "LabSupport", resources: [.copy("Resources/zh.po")]),
        // What a run binds around the ops (limits, cancellation) and the op profiler; no dependencies.
        .target(name: "RunSupport", swiftSettings: optimised),
        .target(name: "TensorCore", dependencies: ["CBLAS", "RunSupport"], swiftSettings: optimised),
        .target(name: "NeuralNet", dependencies: ["TensorCore", "RunSupport", "LabSupport"], swiftSettings: optimised),
        .target(name: "ToyData", dependencies: ["TensorCore"],
                resources: [.copy("Resources/digits.csv"), .copy("Resources/PROVENANCE.md")],
                swiftSettings: optimised),
        .target(name: "SelfSupervised", dependencies: ["TensorCore", "NeuralNet", "ToyData", "LabSupport"],
                swiftSettings: optimised),
        .target(name: "PyTorchExport", dependencies: ["TensorCore", "NeuralNet", "ToyData", "SelfSupervised", "LabSupport"],
                resources: [.copy("Resources/train.py")]),
        .target(name: "Display", dependencies: ["TensorCore", "LabSupport"]),
        .target(name: "LabScript", dependencies: ["LabSupport"]),
        .target(name: "LabBuiltins",
                dependencies: ["LabSupport", "LabScript", "RunSupport", "TensorCore", "NeuralNet", "ToyData", "SelfSupervised", "PyTorchExport",
                               "Display"]),
        .target(name: "Notebook", dependencies: ["LabSupport", "LabScript", "LabBuiltins", "Display"]),
        .target(name: "LineEditor", dependencies: ["CEditLine"]),
        .target(name: "JupyterKernel", dependencies: ["LabSupport", "CZMQ", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LabCLI",
                dependencies: ["LabSupport", "LabScript", "LabBuiltins", "Notebook", "Display", "LineEditor",
                               "RunSupport", "TensorCore", "NeuralNet", "ToyData", "SelfSupervised", "JupyterKernel",
                               .product(name: "ArgumentParser", package: "swift-argument-parser"),
                               .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                resources: [.copy("Autograder/setup.sh"), .copy("Autograder/run_autograder")]),
        .executableTarget(name: "selfsup", dependencies: ["LabCLI"]),

        // Test support: the one runner of `.lab` fixtures (`# expect:` comments).
        .target(name: "LabFixtures", dependencies: ["LabScript"], path: "Tests/LabFixtures"),
        .testTarget(name: "LabSupportTests", dependencies: ["LabSupport"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "RunSupport"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "LabSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ToyDataTests", dependencies: ["ToyData"]),
        .testTarget(name: "SelfSupervisedTests", dependencies: ["SelfSupervised"]),
        .testTarget(name: "PyTorchExportTests", dependencies: ["PyTorchExport", "SelfSupervised", "NeuralNet", "TensorCore"]),
        .testTarget(name: "DisplayTests", dependencies: ["Display"]),
        .testTarget(name: "LabScriptTests", dependencies: ["LabScript", "LabFixtures"], exclude: ["Fixtures"]),
        .testTarget(name: "LabBuiltinsTests", dependencies: ["LabBuiltins", "LabFixtures", "RunSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "LabSupport"]),
        .testTarget(name: "LineEditorTests", dependencies: ["LineEditor"]),
        .testTarget(name: "LabCLITests",
                    dependencies: ["LabCLI", "Notebook", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "JupyterKernelTests", dependencies: ["JupyterKernel", "LabSupport"]),
    ]
)
