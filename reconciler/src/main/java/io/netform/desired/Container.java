package io.netform.desired;

import java.util.List;
import java.util.Optional;

/**
 * A container, i.e. a network namespace. {@code namespacePath} empty means the named namespace
 * {@code /run/netns/<name>}, created when absent; otherwise an existing namespace file.
 * {@code dynamicPorts} are published ports whose host port is not chosen yet; against a host they
 * are resolved into {@code ports} (ipam.PortAllocator) before anything is compiled. {@code host}
 * names the machine of the fleet it runs on ({@code host:}); empty on a single machine.
 * {@code names}: its hostname, links, extra hosts and resolver settings.
 */
public record Container(
    String name,
    NetworkMode mode,
    List<Attachment> attachments,
    List<PortMapping> ports,
    Optional<String> namespacePath,
    List<DynamicPort> dynamicPorts,
    Optional<String> host,
    NameSettings names) {

  public Container {
    attachments = List.copyOf(attachments);
    ports = List.copyOf(ports);
    dynamicPorts = List.copyOf(dynamicPorts);
  }

  /** A container on a single machine, without name settings of its own. */
  public Container(String name, NetworkMode mode, List<Attachment> attachments, List<PortMapping> ports,
      Optional<String> namespacePath, List<DynamicPort> dynamicPorts) {
    this(name, mode, attachments, ports, namespacePath, dynamicPorts, Optional.empty(), NameSettings.NONE);
  }

  /** A container whose published ports all have their host port. */
  public Container(String name, NetworkMode mode, List<Attachment> attachments, List<PortMapping> ports,
      Optional<String> namespacePath) {
    this(name, mode, attachments, ports, namespacePath, List.of());
  }

  public Container withAttachments(List<Attachment> replaced) {
    return new Container(name, mode, replaced, ports, namespacePath, dynamicPorts, host, names);
  }

  public Container withNames(NameSettings settings) {
    return new Container(name, mode, attachments, ports, namespacePath, dynamicPorts, host, settings);
  }

  /** The same container on machine {@code machine} of the fleet. */
  public Container withHost(String machine) {
    return new Container(name, mode, attachments, ports, namespacePath, dynamicPorts, Optional.of(machine), names);
  }

  /** The same container with its dynamic ports resolved to {@code chosen}. */
  public Container withChosenPorts(List<PortMapping> chosen) {
    List<PortMapping> all = new java.util.ArrayList<>(ports);
    all.addAll(chosen);
    return new Container(name, mode, attachments, all, namespacePath, List.of(), host, names);
  }
}
