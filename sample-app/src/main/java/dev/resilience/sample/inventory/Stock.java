package dev.resilience.sample.inventory;

/**
 * How many of an item are in stock.
 *
 * @param sku the item
 * @param quantity the quantity
 */
public record Stock(String sku, int quantity) {
}
