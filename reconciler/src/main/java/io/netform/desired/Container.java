package io.netform.desired;

import java.util.List;
import java.util.Optional;

/**
 * A container, i.e. a network namespace. {@code namespacePath} empty means the named namespace
 * {@code /run/netns/<name>}, created when absent; otherwise an existing namespace file.
 */
public record Container(
    String name,
    NetworkMode mode,
    List<Attachment> attachments,
    List<PortMapping> ports,
    Optional<String> namespacePath) {

  public Container {
    attachments = List.copyOf(attachments);
    ports = List.copyOf(ports);
  }
}
