package android.content.res;

import androidx.annotation.Nullable;
import java.io.IOException;
import java.io.InputStream;

/** Stub of android.content.res.AssetManager. */
public final class AssetManager implements AutoCloseable {
    private AssetManager() {}

    public final InputStream open(String fileName) throws IOException {
        throw new RuntimeException("Stub!");
    }

    @Nullable
    public final String[] list(String path) throws IOException {
        throw new RuntimeException("Stub!");
    }

    @Override
    public void close() {
        throw new RuntimeException("Stub!");
    }
}
