package io.netform.kernel.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * IPv6 on or off on a namespace's interfaces, through {@code /proc/sys/net/ipv6/conf} (netlink has
 * no request for it). Net sysctl files are those of the namespace of the thread that opens them,
 * so these run on a thread inside the namespace.
 */
public final class InterfaceIpv6 {

  private static final Path CONF = Path.of("/proc/sys/net/ipv6/conf");

  private InterfaceIpv6() {}

  /**
   * Interfaces created from now on in the calling thread's namespace start with IPv6 off, so they
   * never send a duplicate address probe or a router solicitation (those already there, the
   * loopback with ::1, keep theirs). Nothing to do on a kernel without IPv6.
   */
  static void offForNewInterfaces() {
    if (Files.isDirectory(CONF)) {
      write("default", false);
    }
  }

  /** Turns IPv6 on or off on the interface {@code name} of the calling thread's namespace. */
  public static void set(String name, boolean on) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not an interface name: " + name);
    }
    write(name, on);
  }

  private static void write(String name, boolean on) {
    Path file = CONF.resolve(name).resolve("disable_ipv6");
    try {
      Files.writeString(file, on ? "0" : "1", StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("turning IPv6 " + (on ? "on" : "off") + " on " + name + ": " + file
          + " does not exist (" + (Files.isDirectory(CONF) ? "no such interface" : "this kernel has no IPv6") + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("turning IPv6 " + (on ? "on" : "off") + " on " + name + ": " + e.getMessage(), e);
    }
  }
}
