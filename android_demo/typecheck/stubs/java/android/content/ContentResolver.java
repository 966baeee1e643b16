package android.content;

import android.net.Uri;
import androidx.annotation.Nullable;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.OutputStream;

/** Stub of android.content.ContentResolver: the stream openers the app uses. */
public abstract class ContentResolver {
    @Nullable
    public final InputStream openInputStream(Uri uri) throws FileNotFoundException {
        throw new RuntimeException("Stub!");
    }

    @Nullable
    public final OutputStream openOutputStream(Uri uri) throws FileNotFoundException {
        throw new RuntimeException("Stub!");
    }
}
