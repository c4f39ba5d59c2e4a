package io.netform.kernel.netlink;

import io.netform.kernel.ffi.Errno;

/**
 * A kernel refusal: the errno name and text, what netform was doing, and the kernel's
 * extended-ack message when it gave one, e.g.
 * {@code EEXIST creating bridge linuxbridge1: File exists}.
 */
public class NetlinkException extends RuntimeException {

  private final int errno;
  private final String kernelMessage;

  public NetlinkException(int errno, String operation, String kernelMessage) {
    super(Errno.name(errno) + " " + operation + ": " + Errno.text(errno)
        + (kernelMessage == null || kernelMessage.isEmpty() ? "" : " (kernel: " + kernelMessage + ")"));
    this.errno = errno;
    this.kernelMessage = kernelMessage;
  }

  private NetlinkException(String message, int errno, String kernelMessage) {
    super(message);
    this.errno = errno;
    this.kernelMessage = kernelMessage;
  }

  /** The same refusal, with how to avoid it after the kernel's words. */
  public NetlinkException withHint(String hint) {
    return new NetlinkException(getMessage() + "; " + hint, errno, kernelMessage);
  }

  public int errno() {
    return errno;
  }

  public String errnoName() {
    return Errno.name(errno);
  }

  public String kernelMessage() {
    return kernelMessage;
  }
}
