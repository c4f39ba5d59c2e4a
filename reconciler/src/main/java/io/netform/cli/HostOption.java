package io.netform.cli;

import io.netform.desired.DesiredState;
import io.netform.fleet.HostChoice;
import io.netform.fleet.LocalState;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --host NAME}: which of the declared {@code hosts:} this machine is, so that a command
 * wires only that host's share of a multi-host desired state (default: this machine's hostname).
 */
final class HostOption {

  @Option(names = "--host", paramLabel = "NAME",
      description = "Which of the desired state's hosts: this machine is; only its share is planned and wired "
          + "(default: this machine's hostname, matched against hosts:). Not needed without hosts:.")
  String host;

  /** This machine's share of {@code state}: all of it when no hosts are declared. */
  LocalState local(DesiredState state) {
    try {
      return HostChoice.share(state, Optional.ofNullable(host), machineHostname());
    } catch (HostChoice.NoSuchHost e) {
      throw new UserError(e.getMessage());
    }
  }

  /** This machine's name among the declared hosts ("" without hosts:); refused as {@link #local} refuses. */
  String name(DesiredState state) {
    if (!state.fleet().declared()) {
      return "";
    }
    try {
      return HostChoice.of(state, Optional.ofNullable(host), machineHostname()).orElse("");
    } catch (HostChoice.NoSuchHost e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The kernel's hostname (of this UTS namespace), as {@code hostname} prints it. */
  static String machineHostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException unknown) {
        return "";
      }
    }
  }
}
