import LabScript
import ToyData

extension Builtins {
    static func data(_ state: BuiltinState) -> BuiltinGroup { BuiltinGroup("Data sets", []) }
    static func augmentations(_ state: BuiltinState) -> BuiltinGroup { BuiltinGroup("Augmentations", []) }
    static func display(_ state: BuiltinState) -> BuiltinGroup { BuiltinGroup("Display", []) }
}
