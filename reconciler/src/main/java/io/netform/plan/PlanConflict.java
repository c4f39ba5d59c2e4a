package io.netform.plan;

/** A target object that would collide with something netform does not own; the plan refuses it. */
public record PlanConflict(String key, String message, String hint) {}
