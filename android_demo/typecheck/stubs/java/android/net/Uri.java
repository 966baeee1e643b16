package android.net;

import androidx.annotation.Nullable;

/** Stub of android.net.Uri. */
public abstract class Uri implements Comparable<Uri> {
    @Nullable
    public abstract String getLastPathSegment();

    @Override
    public abstract String toString();
}
