import ArgumentParser
import Foundation
import JupyterKernel
import LineEditor

/// `selfsup kernel`: LabScript as a Jupyter kernel, and its kernelspec.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "LabScript as a Jupyter kernel: serve a connection file, or install/uninstall the kernelspec.",
        discussion: """
            Jupyter starts `selfsup kernel --connection-file FILE` itself once the kernelspec is \
            installed (`selfsup kernel install --user`); then pick "LabScript (SelfSup Lab)" in \
            JupyterLab, VS Code or `jupyter console --kernel labscript`.
            """,
        subcommands: [KernelServeCommand.self, KernelInstallCommand.self, KernelUninstallCommand.self],
        defaultSubcommand: KernelServeCommand.self)
}

/// `selfsup kernel [serve] --connection-file FILE`: serves until Jupyter shuts it down.
struct KernelServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Jupyter messaging protocol on the sockets of a connection file (what Jupyter runs).")

    @Option(name: [.customShort("f"), .long], help: "The connection file Jupyter wrote (ports, key, transport).")
    var connectionFile: String

    @Option(help: "Where the builtins' documentation is, for the notebook's Help menu.")
    var docsURL: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let info: ConnectionInfo
        do { info = try ConnectionInfo.load(path: connectionFile) } catch {
            printError("selfsup kernel: \(error)")
            throw ExitCode(2)
        }
        Interrupts.install()   // interrupt_mode "signal": SIGINT stops the running cell, keeps the session
        let backend = LabScriptKernel(options: options, docsURL: docsURL)
        let server: KernelServer
        do { server = try KernelServer(connection: info, backend: backend) } catch {
            printError("selfsup kernel: \(error)")
            throw ExitCode(2)
        }
        // The shell thread gets a large stack: it parses cells (is_complete) itself.
        let done = DispatchSemaphore(value: 0)
        let shell = Thread { server.run(); done.signal() }
        shell.stackSize = 64 << 20
        shell.start()
        done.wait()
    }
}
