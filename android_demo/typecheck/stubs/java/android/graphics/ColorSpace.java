package android.graphics;

/** Stub of android.graphics.ColorSpace (API 26). */
public abstract class ColorSpace {
    public enum Named {
        SRGB,
        LINEAR_SRGB,
        EXTENDED_SRGB,
        LINEAR_EXTENDED_SRGB,
        BT709,
        BT2020,
        DCI_P3,
        DISPLAY_P3,
        NTSC_1953,
        SMPTE_C,
        ADOBE_RGB,
        PRO_PHOTO_RGB,
        ACES,
        ACESCG,
        CIE_XYZ,
        CIE_LAB,
        BT2020_HLG,
        BT2020_PQ
    }

    public static ColorSpace get(Named name) {
        throw new RuntimeException("Stub!");
    }
}
