package android.graphics;

import java.io.OutputStream;
import java.nio.Buffer;

/** Stub of android.graphics.Bitmap: the members the app uses. */
public final class Bitmap {
    private Bitmap() {}

    public enum Config {
        ALPHA_8,
        RGB_565,
        @Deprecated ARGB_4444,
        ARGB_8888,
        RGBA_F16,
        HARDWARE,
        RGBA_1010102
    }

    public enum CompressFormat {
        JPEG,
        PNG,
        @Deprecated WEBP,
        WEBP_LOSSY,
        WEBP_LOSSLESS
    }

    public static Bitmap createBitmap(int[] colors, int width, int height, Config config) {
        throw new RuntimeException("Stub!");
    }

    public int getWidth() {
        throw new RuntimeException("Stub!");
    }

    public int getHeight() {
        throw new RuntimeException("Stub!");
    }

    public final Config getConfig() {
        throw new RuntimeException("Stub!");
    }

    public void recycle() {
        throw new RuntimeException("Stub!");
    }

    public void copyPixelsToBuffer(Buffer dst) {
        throw new RuntimeException("Stub!");
    }

    public void getPixels(int[] pixels, int offset, int stride, int x, int y, int width, int height) {
        throw new RuntimeException("Stub!");
    }

    public boolean compress(CompressFormat format, int quality, OutputStream stream) {
        throw new RuntimeException("Stub!");
    }
}
