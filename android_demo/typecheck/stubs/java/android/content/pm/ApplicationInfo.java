package android.content.pm;

/** Stub of android.content.pm.ApplicationInfo: the field LiteRT's NPU provider reads. */
public class ApplicationInfo {
    public String nativeLibraryDir;
}
