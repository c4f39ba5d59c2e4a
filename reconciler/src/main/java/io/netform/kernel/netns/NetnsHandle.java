package io.netform.kernel.netns;

import io.netform.kernel.ffi.LibC;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Rtnl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Map;
import java.util.List;
import java.util.LinkedHashMap;
import java.nio.file.NoSuchFileException;
import java.nio.channels.SeekableByteChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Work inside one network namespace. {@code setns} changes only the calling thread, so a handle
 * owns a dedicated platform thread that entered the namespace once; netlink sockets, sysctl files
 * and child processes created on that thread belong to the namespace. Pooled or shared threads
 * never call setns.
 */
public final class NetnsHandle implements AutoCloseable {

  private final String name;
  private final Path path;
  private final ExecutorService thread;
  private final int fd;
  private Rtnl rtnl;
  private NetlinkSocket socket;

  private NetnsHandle(String name, Path path) {
    this.name = name;
    this.path = path;
    LibC libc = LibC.get();
    int nsFd = libc.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (nsFd < 0) {
      throw new SyscallException("opening namespace " + path, LibC.errno());
    }
    this.fd = nsFd;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "netns-" + name);
      t.setDaemon(true);
      return t;
    });
    call(() -> {
      if (libc.setns(nsFd, LibC.CLONE_NEWNET) != 0) {
        throw new SyscallException("entering namespace " + path, LibC.errno());
      }
      return null;
    });
  }

  /** Opens the namespace at {@code path} (a /run/netns file, /proc/PID/ns/net, ...). */
  public static NetnsHandle open(String name, Path path) {
    return new NetnsHandle(name, path);
  }

  /** The namespace netform itself runs in. */
  public static NetnsHandle ofThisProcess() {
    return new NetnsHandle("host", Path.of("/proc/self/ns/net"));
  }

  public String name() {
    return name;
  }

  public Path path() {
    return path;
  }

  /** A file descriptor of the namespace, for IFLA_NET_NS_FD (creating or moving links into it). */
  public int fd() {
    return fd;
  }

  /** Runs {@code task} on the thread that is inside the namespace. */
  public <T> T call(Callable<T> task) {
    Future<T> f = thread.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while working in namespace " + name, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Route netlink inside the namespace; the socket is opened once, on the namespace's thread. */
  public synchronized Rtnl rtnl() {
    if (rtnl == null) {
      socket = call(NetlinkSocket::open);
      rtnl = new Rtnl(socket);
    }
    return rtnl;
  }

  public String readSysctl(String key) {
    return call(() -> readValue(sysctlPath(key)));
  }

  /**
   * Several settings in one visit to the namespace's thread (an observation reads one per
   * bridge); a setting whose file does not exist (its interface is gone) is empty.
   */
  public Map<String, Optional<String>> readSysctls(List<String> keys) {
    return call(() -> {
      Map<String, Optional<String>> out = new LinkedHashMap<>();
      for (String key : keys) {
        try {
          out.put(key, Optional.of(readValue(sysctlPath(key))));
        } catch (NoSuchFileException e) {
          out.put(key, Optional.empty());
        }
      }
      return out;
    });
  }

  /**
   * A setting's value, read into a small buffer: a sysctl file reports no size, so reading it
   * whole allocated 8 KiB per setting.
   */
  private static String readValue(Path file) throws IOException {
    try (SeekableByteChannel in = Files.newByteChannel(file)) {
      ByteBuffer buf = ByteBuffer.allocate(64);
      while (buf.hasRemaining() && in.read(buf) >= 0) {
        // keep reading until the buffer is full or the value ends
      }
      if (!buf.hasRemaining()) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip(); // a long value (a list): read it whole
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
    }
  }

  public void writeSysctl(String key, String value) {
    call(() -> {
      try {
        Files.writeString(sysctlPath(key), value, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("setting " + key + "=" + value + " in namespace " + name + ": " + e.getMessage(), e);
      }
      return null;
    });
  }

  /** Turns IPv6 on or off on one of the namespace's interfaces. */
  public void setIpv6(String device, boolean on) {
    call(() -> {
      InterfaceIpv6.set(device, on);
      return null;
    });
  }

  /**
   * {@code net.ipv4.ip_forward} → {@code /proc/sys/net/ipv4/ip_forward}; a key written with
   * {@code /} (as sysctl(8) allows, for interface names with dots) is split at slashes only.
   * Resolved in the opener's namespace.
   */
  static Path sysctlPath(String key) {
    String[] parts = key.contains("/") ? key.split("/", -1) : key.split("\\.", -1);
    for (String p : parts) {
      if (p.isEmpty() || p.equals(".") || p.equals("..")) {
        throw new IllegalArgumentException("not a sysctl key: " + key);
      }
    }
    return Path.of("/proc/sys", parts);
  }

  /** Starts a process inside the namespace (it inherits the namespace of the thread that forks it). */
  public Process start(ProcessBuilder builder) {
    return call(builder::start);
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.close();
    }
    thread.shutdownNow();
    LibC.get().close(fd);
  }
}
