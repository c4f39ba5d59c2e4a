package io.netform.validate;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names netform may give a bridge it creates: names the kernel accepts ({@link InterfaceNames}),
 * that it takes as they are, that collide with nothing the kernel keeps, and that are not of
 * the forms netform derives for its own interfaces.
 */
final class BridgeNames {

  // Collide with what the kernel keeps per namespace, so creating the bridge fails or misleads:
  // lo is in every namespace; all and default are the directories of every interface's settings
  // in /proc/sys/net/ipv{4,6}/conf (the kernel refuses them); bonding_masters is the bonding
  // driver's control file in /sys/class/net (refused while bonding is loaded, and a bridge of
  // that name stops it loading).
  private static final Map<String, String> KERNEL_NAMES = Map.of(
      "lo", "the loopback interface every namespace has",
      "all", "the kernel's name for the settings of all interfaces (/proc/sys/net/ipv4/conf/all)",
      "default", "the kernel's name for the settings of new interfaces (/proc/sys/net/ipv4/conf/default)",
      "bonding_masters", "the bonding driver's control file (/sys/class/net/bonding_masters)");

  // compile/KernelNames: "nf-" + 12 hex digits for bridges, "nfv" + 12 hex digits for host veths.
  // A bridge_name of either form may equal a name netform derives for another object.
  private static final Pattern NETFORM_NAMES = Pattern.compile("nf-[0-9a-f]{12}|nfv[0-9a-f]{12}");

  private BridgeNames() {}

  /** What is wrong with {@code name} as a bridge name, or empty when netform can create it. */
  static Optional<ValueProblem> problem(String name) {
    Optional<String> invalid = InterfaceNames.problem(name);
    if (invalid.isPresent()) {
      return Optional.of(new ValueProblem("bad-interface-name", "bridge name \"" + name + "\" " + invalid.get(),
          "choose a name of at most 15 bytes without '/', ':' or spaces"));
    }
    if (name.indexOf('%') >= 0) {
      return Optional.of(new ValueProblem("template-bridge-name", "bridge name \"" + name + "\" contains '%': the kernel"
          + " takes it as a template and picks the next free name (br0, br1, ...), so every run would make another bridge",
          "choose a name without '%', e.g. br-web"));
    }
    String kernel = KERNEL_NAMES.get(name);
    if (kernel != null) {
      return Optional.of(new ValueProblem("kernel-reserved-bridge-name",
          "bridge name \"" + name + "\" is " + kernel, "choose another name, e.g. br-web"));
    }
    if (NETFORM_NAMES.matcher(name).matches()) {
      return Optional.of(new ValueProblem("netform-reserved-bridge-name", "bridge name \"" + name
          + "\" has a form netform keeps for the names it derives (nf- or nfv and 12 hex digits): it may equal"
          + " the name of another network's bridge or of a container's veth",
          "choose a name of another form, or remove bridge_name to get the derived one"));
    }
    return Optional.empty();
  }
}
