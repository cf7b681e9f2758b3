package dev.resilience.sample.inventory;

/** The inventory does not know the SKU: the caller's mistake, not a dependency failure. */
public class UnknownSkuException extends RuntimeException {

    public UnknownSkuException(String sku) {
        super("Unknown SKU '" + sku + "'");
    }
}
