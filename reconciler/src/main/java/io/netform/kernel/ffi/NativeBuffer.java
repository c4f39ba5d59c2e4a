package io.netform.kernel.ffi;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Native memory mapped from the kernel and unmapped on {@link #close}: freed when its owner says
 * so, not when the garbage collector finalizes a wrapper, and never part of a malloc arena. Only
 * the pages written to become resident.
 */
public final class NativeBuffer implements AutoCloseable {

  private final long address;
  private final long size;
  private final Pointer pointer;
  private boolean closed;

  private NativeBuffer(long address, long size) {
    this.address = address;
    this.size = size;
    this.pointer = Pointer.wrap(Runtime.getSystemRuntime(), address, size);
  }

  /** {@code size} bytes of zeroed memory. */
  public static NativeBuffer map(long size) {
    long address = LibC.get().mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
    if (address == LibC.MAP_FAILED) {
      throw new SyscallException("mapping " + size + " bytes of memory", LibC.errno());
    }
    return new NativeBuffer(address, size);
  }

  public Pointer pointer() {
    return pointer;
  }

  public long size() {
    return size;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      LibC.get().munmap(address, size);
    }
  }
}
