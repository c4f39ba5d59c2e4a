package io.netform.plan;

import io.netform.diagnostics.render.Style;
import io.netform.model.Owner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Terraform-style plan text: changes grouped by network, then container, then host; {@code +}
 * create, {@code ~} update in place, {@code -} delete, {@code -/+} replace; then the summary line.
 */
public final class PlanText {

  public static final String NO_CHANGES = "No changes. The host matches the desired state.";

  private PlanText() {}

  public static String render(Plan plan, Style style) {
    StringBuilder sb = new StringBuilder();
    for (PlanConflict c : plan.conflicts()) {
      sb.append(style.red(style.bold("conflict"))).append(": ").append(c.message()).append('\n')
          .append("  ").append(style.cyan("hint:")).append(' ').append(c.hint()).append('\n');
    }
    if (plan.isEmpty()) {
      return sb.append(style.green(NO_CHANGES)).append('\n').toString();
    }
    sb.append("netform will perform the following actions:\n");
    Map<Owner, List<Change>> groups = new TreeMap<>(GROUP_ORDER);
    plan.changes().forEach(c -> groups.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(c));
    groups.forEach((owner, changes) -> {
      sb.append('\n').append(style.bold("  # " + heading(owner))).append('\n');
      changes.stream().sorted(Comparator.comparingInt((Change c) -> c.object().rank()).thenComparing(Change::key))
          .forEach(c -> change(sb, c, style));
    });
    sb.append('\n').append(style.bold("Plan:")).append(' ').append(plan.toAdd()).append(" to add, ")
        .append(plan.toChange()).append(" to change, ").append(plan.toDestroy()).append(" to destroy.\n");
    return sb.toString();
  }

  /** Networks first, then containers, then host-wide objects; by name within each. */
  static final Comparator<Owner> GROUP_ORDER = Comparator
      .comparingInt((Owner o) -> switch (o.kind()) {
        case NETWORK -> 0;
        case CONTAINER -> 1;
        case HOST -> 2;
      })
      .thenComparing(Owner::name);

  private static String heading(Owner owner) {
    return switch (owner.kind()) {
      case NETWORK -> "network \"" + owner.name() + "\"";
      case CONTAINER -> "container \"" + owner.name() + "\"";
      case HOST -> "host";
    };
  }

  private static void change(StringBuilder sb, Change c, Style style) {
    String symbol = switch (c.action()) {
      case CREATE -> style.green(c.action().symbol);
      case UPDATE -> style.yellow(c.action().symbol);
      case DELETE -> style.red(c.action().symbol);
      case REPLACE -> style.red("-") + "/" + style.green("+");
    };
    sb.append("  ").append(symbol).append(' ').append(c.object().kindLabel()).append(' ').append(c.object().displayName());
    c.reason().ifPresent(r -> sb.append(style.dim("  # " + r)));
    sb.append('\n');
    String indent = "      ";
    switch (c.action()) {
      case CREATE -> c.after().orElseThrow().attributes().forEach((k, v) -> {
        if (!k.equals("tier")) { // a new rule's place in its chain is noise to a reader
          sb.append(indent).append(k).append(": ").append(quote(v)).append('\n');
        }
      });
      case UPDATE, REPLACE -> {
        Map<String, String> before = c.before().orElseThrow().comparedAttributes();
        Map<String, String> after = c.after().orElseThrow().comparedAttributes();
        for (String attr : c.changedAttributes()) {
          sb.append(indent).append(attr).append(": ").append(quote(before.get(attr))).append(" -> ")
              .append(quote(after.get(attr)));
          if (c.action() == Action.REPLACE && c.after().get().replaceAttributes().contains(attr)) {
            sb.append(style.red(" # forces replacement"));
          }
          sb.append('\n');
        }
      }
      case DELETE -> { }
    }
  }

  private static String quote(String v) {
    return v == null ? "(none)" : "\"" + v + "\"";
  }
}
