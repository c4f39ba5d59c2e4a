package io.netform.kernel.ffi;

/**
 * The process's file mode mask. netform, as root, refuses a state directory (or a container's
 * name file directory) that group or others may write, so what it makes there itself must never
 * be: a umask of 002 would otherwise make its last good copy, its Git checkout and the containers'
 * directories group-writable, and the next run would refuse them.
 */
public final class Umask {

  private static final int GROUP_AND_OTHERS_WRITE = 022;

  private Umask() {}

  /** Adds group and others' write to the mask (keeping what it withholds already); returns the mask before. */
  public static int withholdWriteFromOthers() {
    LibC libc = LibC.get();
    int before = libc.umask(0777); // the only way to read it; meanwhile the strictest, never a looser one
    libc.umask(before | GROUP_AND_OTHERS_WRITE);
    return before;
  }

  /** Sets the mask (for tests, to put back the one they found); returns the mask before. */
  public static int set(int mask) {
    return LibC.get().umask(mask);
  }
}
