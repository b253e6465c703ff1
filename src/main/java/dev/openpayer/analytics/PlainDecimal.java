package dev.openpayer.analytics;

import java.math.BigDecimal;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/** Writes an amount as a JSON number in plain notation with all its decimals ({@code 0.0000000000}, never {@code 0E-10}). */
final class PlainDecimal extends ValueSerializer<BigDecimal> {
    @Override
    public void serialize(BigDecimal value, JsonGenerator gen, SerializationContext context) {
        gen.writeNumber(value.toPlainString());
    }
}
