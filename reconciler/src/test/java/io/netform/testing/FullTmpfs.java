package io.netform.testing;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny tmpfs mounted on a directory and filled to the last byte: a full disk, private to the test
 * JVM's own mount namespace (see reconciler/src/test/jvm/bin/java). Needs root: use in a KernelTest.
 */
public final class FullTmpfs implements AutoCloseable {

  private final Path dir;

  private FullTmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a 16 KiB tmpfs on {@code dir} (owned by root, 0700, as a state directory is), runs {@code before}, fills it. */
  public static FullTmpfs on(Path dir, Prepare before) throws IOException {
    if (LibC.get().mount("netform-test", dir.toString(), "tmpfs", 0, "size=16k,mode=0700") != 0) {
      throw new IOException("mounting a tmpfs on " + dir + ": " + Errno.name(LibC.errno()));
    }
    FullTmpfs full = new FullTmpfs(dir);
    before.in(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
      byte[] page = new byte[4096];
      while (true) {
        out.write(page);
        out.flush();
      }
    } catch (IOException expected) {
      if (!String.valueOf(expected.getMessage()).contains("No space left")) {
        throw expected;
      }
    }
    return full;
  }

  /** What to put there while there is still room. */
  public interface Prepare {
    void in(Path dir) throws IOException;
  }

  @Override
  public void close() {
    LibC.get().umount2(dir.toString(), LibC.MNT_DETACH);
  }
}
