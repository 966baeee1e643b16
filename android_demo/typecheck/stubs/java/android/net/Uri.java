package android.net;

/** Stub of android.net.Uri. */
public abstract class Uri implements Comparable<Uri> {
    public abstract String getLastPathSegment();

    @Override
    public abstract String toString();
}
