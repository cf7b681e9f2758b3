package dev.resilience.sample.inventory;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.guard.Guard;
import dev.resilience.guard.Resilience;
import dev.resilience.sample.simulation.DependencyClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Looks up stock. Transient failures are retried, a failing inventory opens the breaker (it is critical:
 * health goes DOWN), and at most 10 lookups run at once so a slow inventory cannot take every request thread.
 * Unknown SKUs are the caller's error: not retried and ignored by the breaker (see application.yml).
 */
@Service
public class InventoryService {

    private final DependencyClient client;
    private final Guard eachLookup;
    private final Executor executor = Executors.newFixedThreadPool(4, task -> {
        Thread thread = new Thread(task, "inventory-async");
        thread.setDaemon(true);
        return thread;
    });

    public InventoryService(DependencyClient client, Resilience resilience) {
        this.client = client;
        // The same instances as the annotated lookups, for the body of a loop, which no annotation can reach.
        this.eachLookup = resilience.guard("inventory").withRetry().withCircuitBreaker().withBulkhead();
    }

    @Retry("inventory")
    @CircuitBreaker("inventory")
    @Bulkhead("inventory")
    public Stock stock(String sku) {
        return fetch(sku);
    }

    /** The same lookup without blocking the caller: every policy acts on the future's outcome. */
    @Retry("inventory")
    @CircuitBreaker("inventory")
    @Bulkhead("inventory")
    public CompletableFuture<Stock> stockAsync(String sku) {
        return CompletableFuture.supplyAsync(() -> fetch(sku), executor);
    }

    /** The same lookup as a Mono: nothing happens until it is subscribed, then every policy acts on its signals. */
    @Retry("inventory")
    @CircuitBreaker("inventory")
    @Bulkhead("inventory")
    public Mono<Stock> stockReactive(String sku) {
        return Mono.fromCallable(() -> fetch(sku)).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Several lookups in one request, each guarded on its own: an unknown SKU, or the breaker opening half-way,
     * answers for that line only. Each line is the quantity, or the name of what stopped it.
     */
    public Map<String, Object> stocks(List<String> skus) {
        Map<String, Object> lines = new LinkedHashMap<>();
        for (String sku : skus) {
            try {
                lines.put(sku, eachLookup.get(() -> fetch(sku)).quantity());
            } catch (RuntimeException failure) {
                lines.put(sku, failure.getClass().getSimpleName());
            }
        }
        return lines;
    }

    private Stock fetch(String sku) {
        return client.http().get().uri("/sim/inventory/{sku}", sku).retrieve()
                .onStatus(status -> status.value() == HttpStatus.NOT_FOUND.value(), (request, response) -> {
                    throw new UnknownSkuException(sku);
                })
                .body(Stock.class);
    }
}
