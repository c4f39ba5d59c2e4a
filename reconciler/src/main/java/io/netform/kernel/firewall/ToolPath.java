package io.netform.kernel.firewall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where netform looks for the programs it runs (iptables-save, iptables-restore): the directories
 * of a search path, in order, as a shell looks. The process's {@code PATH} unless told otherwise,
 * so a test can give a path that lacks a tool or holds a fake one.
 */
public record ToolPath(List<Path> directories) {

  /** Where the tools are when PATH is not set (sudo and cron may run netform without one). */
  static final String DEFAULT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

  public ToolPath {
    directories = List.copyOf(directories);
  }

  public static ToolPath fromEnvironment() {
    return of(System.getenv().getOrDefault("PATH", DEFAULT_PATH));
  }

  /** A search path as PATH writes it: directories separated by colons. */
  public static ToolPath of(String searchPath) {
    return new ToolPath(Arrays.stream(searchPath.split(":")).filter(d -> !d.isEmpty()).map(Path::of).toList());
  }

  /** The first executable file named {@code tool} in the directories. */
  public Optional<Path> find(String tool) {
    return directories.stream().map(d -> d.resolve(tool)).filter(Files::isExecutable).findFirst();
  }

  /** The tool's file, or an error naming the tool, where it was looked for and how to install it. */
  public Path require(String tool) {
    return find(tool).orElseThrow(() -> new FirewallException(tool + " is not installed (not found in "
        + (directories.isEmpty() ? "an empty PATH" : String.join(":", directories.stream().map(Path::toString).toList()))
        + "); netform needs it to read and change the firewall: install " + packageOf(tool) + " (apt-get install -y "
        + packageOf(tool) + ")"));
  }

  private static String packageOf(String tool) {
    return tool.equals(NftablesBackend.NFT) ? "nftables" : "iptables";
  }
}
