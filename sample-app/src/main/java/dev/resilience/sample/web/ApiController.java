package dev.resilience.sample.web;

import dev.resilience.ResilienceContext;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.sample.answers.Answer;
import dev.resilience.sample.answers.AnswerService;
import dev.resilience.sample.inventory.InventoryService;
import dev.resilience.sample.inventory.Stock;
import dev.resilience.sample.recommendations.RecommendationService;
import dev.resilience.sample.recommendations.RecommendationService.Recommendations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** What a user of the assistant calls, and a view of the policies' state. */
@RestController
@RequestMapping("/api")
public class ApiController {

    private final AnswerService answers;
    private final RecommendationService recommendations;
    private final InventoryService inventory;
    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;
    private final BulkheadRegistry bulkheads;

    public ApiController(AnswerService answers, RecommendationService recommendations, InventoryService inventory,
            CircuitBreakerRegistry breakers, RetryRegistry retries, BulkheadRegistry bulkheads) {
        this.answers = answers;
        this.recommendations = recommendations;
        this.inventory = inventory;
        this.breakers = breakers;
        this.retries = retries;
        this.bulkheads = bulkheads;
    }

    /**
     * The answer; a stale one (both providers down, the last good answer served) says so in a note and in the
     * {@code X-Answer-Stale-Age} header (seconds). With nothing stored for the question either: 503.
     */
    @GetMapping("/answer")
    public ResponseEntity<Answer> answer(@RequestParam(defaultValue = "") String q) {
        Answer answer;
        try {
            answer = answers.ask(q);
        } catch (IllegalArgumentException callersError) {
            throw callersError;
        } catch (RuntimeException failure) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "60")
                    .body(new Answer(q, "Both assistants are unavailable right now (" + failure.getClass()
                            .getSimpleName() + "); please try again in a minute.", "none"));
        }
        ResilienceContext.LastCall call = ResilienceContext.lastCall();
        if (!call.servedStale()) {
            return ResponseEntity.ok(answer);
        }
        return ResponseEntity.ok().header("X-Answer-Stale-Age", String.valueOf(call.staleAge().toSeconds()))
                .body(answer.fromCache(call.staleAge()));
    }

    @GetMapping("/recommendations/{sku}")
    public Recommendations recommendations(@PathVariable String sku) {
        return recommendations.recommend(sku);
    }

    @GetMapping("/inventory/{sku}")
    public Stock stock(@PathVariable String sku) {
        return inventory.stock(sku);
    }

    /** {@code /api/inventory?sku=apple&sku=pear}: a line per SKU, each guarded on its own. */
    @GetMapping("/inventory")
    public Map<String, Object> stocks(@RequestParam List<String> sku) {
        return inventory.stocks(sku);
    }

    @GetMapping("/inventory/{sku}/async")
    public CompletableFuture<Stock> stockAsync(@PathVariable String sku) {
        return inventory.stockAsync(sku);
    }

    @GetMapping("/inventory/{sku}/reactive")
    public Mono<Stock> stockReactive(@PathVariable String sku) {
        return inventory.stockReactive(sku);
    }

    /** Breaker states and figures, retry counts and bulkhead slots. */
    @GetMapping("/status")
    public Map<String, Object> status() {
        Map<String, Object> breakerStatus = new TreeMap<>();
        for (CircuitBreaker breaker : breakers.all()) {
            CircuitBreakerMetrics metrics = breaker.getMetrics();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", breaker.getState());
            one.put("failureRate", metrics.failureRate());
            one.put("slowCallRate", metrics.slowCallRate());
            one.put("bufferedCalls", metrics.bufferedCalls());
            one.put("failedCalls", metrics.failedCalls());
            one.put("notPermittedCalls", metrics.notPermittedCalls());
            breakerStatus.put(breaker.getName(), one);
        }
        Map<String, Object> retryStatus = new TreeMap<>();
        retries.all().forEach(retry -> retryStatus.put(retry.getName(), retry.getMetrics()));
        Map<String, Object> bulkheadStatus = new TreeMap<>();
        bulkheads.all().forEach(bulkhead -> bulkheadStatus.put(bulkhead.getName(), Map.of(
                "available", bulkhead.getAvailableConcurrentCalls(),
                "max", bulkhead.getConfig().maxConcurrentCalls(),
                "rejected", bulkhead.getRejectedCalls())));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("circuitBreakers", breakerStatus);
        status.put("retries", retryStatus);
        status.put("bulkheads", bulkheadStatus);
        return status;
    }
}
