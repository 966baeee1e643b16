package android.graphics;

/** Stub of android.graphics.Rect (a parameter type of BitmapFactory.decodeStream). */
public final class Rect {
    public int left;
    public int top;
    public int right;
    public int bottom;
}
