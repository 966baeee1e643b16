package android.content;

import android.content.pm.ApplicationInfo;
import android.content.res.AssetManager;

/** Stub of android.content.ContextWrapper. */
public class ContextWrapper extends Context {
    public ContextWrapper(Context base) {
        throw new RuntimeException("Stub!");
    }

    @Override
    public AssetManager getAssets() {
        throw new RuntimeException("Stub!");
    }

    @Override
    public ContentResolver getContentResolver() {
        throw new RuntimeException("Stub!");
    }

    @Override
    public ApplicationInfo getApplicationInfo() {
        throw new RuntimeException("Stub!");
    }
}
