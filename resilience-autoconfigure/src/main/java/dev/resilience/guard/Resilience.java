package dev.resilience.guard;

/**
 * Guards code without annotations: a lambda, a call inside a loop, a third-party object, one block of a longer
 * method. A guard uses the same named instances, configuration ({@code resilience.*}), order, meters, events,
 * health and endpoint as the annotations, and runs through the same pipeline steps.
 *
 * <pre>{@code
 * private final Guard inventory;
 *
 * InventoryClient(Resilience resilience) {
 *     this.inventory = resilience.guard("inventory").withRetry().withCircuitBreaker()
 *             .withFallback(failure -> Stock.unknown());
 * }
 *
 * Stock stock(String sku) {
 *     return inventory.get(() -> client.stock(sku));
 * }
 * }</pre>
 *
 * The starter defines one bean of this type.
 */
public interface Resilience {

    /**
     * A guard with no policy yet, whose {@code with...()} methods use the instances named {@code name}; build it
     * once and keep it: it is immutable and thread safe, and its pipeline is built at its first call.
     */
    Guard guard(String name);
}
