package dev.openpayer;

import java.util.Arrays;

/** Turns the {@code --demo} command-line flag into the {@code openpayer.demo} property. */
final class DemoArguments {
    private DemoArguments() {}

    static String[] apply(String[] args) {
        return Arrays.stream(args).map(a -> a.equals("--demo") ? "--openpayer.demo=true" : a).toArray(String[]::new);
    }
}
