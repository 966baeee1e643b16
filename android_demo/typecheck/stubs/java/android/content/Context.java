package android.content;

import android.content.pm.ApplicationInfo;
import android.content.res.AssetManager;

/** Stub of android.content.Context: only the members the app and LiteRT's Kotlin API use. */
public abstract class Context {
    public abstract AssetManager getAssets();

    public abstract ContentResolver getContentResolver();

    public abstract ApplicationInfo getApplicationInfo();
}
