package io.netform.kernel.ffi;

/** A failed system call outside netlink (namespaces, mounts), with errno name and text. */
public class SyscallException extends RuntimeException {

  private final int errno;

  public SyscallException(String what, int errno) {
    super(Errno.name(errno) + " " + what + ": " + Errno.text(errno));
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
