package io.netform.imports;

import io.netform.desired.Container;
import io.netform.desired.NetworkMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What an import carried over and what it left out, with a reason each: the header of the YAML it
 * writes, so whoever commits the file sees what to recreate by hand.
 */
public final class ImportNotes {

  private final List<String> imported = new ArrayList<>();
  private final List<String> leftOut = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  public void imported(String what) {
    imported.add(what);
  }

  /** A container, with its network mode when it is not its own namespace. */
  public void imported(Container c) {
    imported("container " + c.name() + (c.mode() instanceof NetworkMode.Own ? "" : " (network_mode " + c.mode().text() + ")"));
  }

  public void leftOut(String what, String why) {
    leftOut.add(what + ": " + why);
  }

  /** Also said on standard error when the command runs: a loss the user must act on (an overlay without hosts). */
  public void warn(String what) {
    warnings.add(what);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public List<String> imported() {
    return List.copyOf(imported);
  }

  public List<String> leftOut() {
    return List.copyOf(leftOut);
  }

  /** The header comment: the source, one line per thing imported, then one per thing left out. */
  public String header(String source) {
    List<String> lines = new ArrayList<>();
    lines.add("Imported by netform import from " + source + ".");
    imported.forEach(i -> lines.add("  imported: " + i));
    if (leftOut.isEmpty()) {
      lines.add("Nothing was left out.");
    } else {
      lines.add("Left out (recreate by hand what you need):");
      leftOut.forEach(l -> lines.add("  - " + l));
    }
    return String.join("\n", lines);
  }
}
