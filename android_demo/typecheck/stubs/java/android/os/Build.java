package android.os;

/** Stub of android.os.Build: the constants LiteRT's NPU compatibility check reads. */
public class Build {
    public static final String ID = null;
    public static final String SOC_MANUFACTURER = null;
    public static final String SOC_MODEL = null;

    public static class VERSION {
        public static final int SDK_INT = 0;
    }

    public static class VERSION_CODES {
        public static final int S = 31;
    }
}
