package dev.resilience.sample.recommendations;

import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.degradation.FeatureDegradedException;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Personal recommendations: an expensive step the shop can live without. It is shed while the application is
 * degraded (see {@code resilience.degradation.features.recommendations}) or switched off by hand, and the
 * bestseller list answers instead.
 */
@Service
public class RecommendationService {

    @Degradable("recommendations")
    @Fallback("bestsellers")
    public Recommendations recommend(String sku) {
        return new Recommendations(sku, List.of(sku + "-case", sku + "-gift-box", "plum"), "personal");
    }

    private Recommendations bestsellers(String sku, FeatureDegradedException shed) {
        return new Recommendations(sku, List.of("apple", "plum"), "bestsellers");
    }

    /**
     * Recommendations for an item.
     *
     * @param sku the item
     * @param items what to recommend
     * @param source {@code personal} or {@code bestsellers}
     */
    public record Recommendations(String sku, List<String> items, String source) {
    }
}
