/// The lab's version: `selfsup --version` and the footer of an exported page show it.
public enum LabVersion {
    public static let current = "0.1.0"
}
