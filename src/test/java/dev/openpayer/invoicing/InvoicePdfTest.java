package dev.openpayer.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Renders invoices, credit notes and drafts and reads them back with PDFBox. */
class InvoicePdfTest {

    @Test
    void invoiceShowsPartiesRateLinesAndTotals() throws IOException {
        byte[] pdf = InvoicePdf.render(InvoiceSamples.invoice());

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text)
                    .contains("Invoice", "No. INV-2026-0042")
                    .contains("Cirrus Cloud Services B.V.", "Keizersgracht 100", "Netherlands")
                    .contains("Nordwind Logistik GmbH", "Hafenstraße 12", "20457 Hamburg", "Germany")
                    .contains("3 November 2026", "3 December 2026", "October 2026", "Cirrus Standard v3")
                    .contains("Converted from USD at 0.9234 USD→EUR (rate recorded for October 2026)")
                    .contains("Amazon Elastic Compute Cloud", "123456789012", "Data & Analytics", "Unallocated")
                    .contains("601.23", "612.30", "305.15", "120.00")
                    .contains("1,037.45", "VAT 19%", "197.12", "EUR 1,234.57")
                    .contains("Page 1 of 1")
                    .doesNotContain("DRAFT", "Draft");
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(0, 72);
            assertNotBlank(image);
            save(image, "invoice-sample.png");
            Files.write(Path.of("target", "invoice-sample.pdf"), pdf);
        }
    }

    @Test
    void creditNoteNamesTheInvoiceItCreditsAndShowsNegativeAmounts() throws IOException {
        try (PDDocument document = Loader.loadPDF(InvoicePdf.render(InvoiceSamples.creditNote()))) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text)
                    .contains("Credit note", "No. CN-2026-0007", "Credits invoice INV-2026-0042")
                    .contains("Cirrus Cloud Services B.V.", "Nordwind Logistik GmbH")
                    .contains("-612.30", "-1,037.45", "-197.12", "EUR -1,234.57");
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(0, 72);
            assertNotBlank(image);
            save(image, "invoice-credit-note.png");
        }
    }

    @Test
    void draftCarriesTheWatermarkAndNoNumber() throws IOException {
        try (PDDocument document = Loader.loadPDF(InvoicePdf.render(InvoiceSamples.draft()))) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text)
                    .contains("DRAFT", "Draft — not a tax document", "Invoice")
                    .contains("Nordwind Logistik GmbH", "EUR 1,234.57")
                    .doesNotContain("No. ");
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(0, 72);
            assertNotBlank(image);
            save(image, "invoice-draft.png");
        }
    }

    @Test
    void fiveHundredLinesBreakOverPagesWithTheHeaderRepeated() throws IOException {
        InvoiceDocument large = InvoiceSamples.large();
        try (PDDocument document = Loader.loadPDF(InvoicePdf.render(large))) {
            int pages = document.getNumberOfPages();
            assertThat(pages).isGreaterThan(1);
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(document);
                assertThat(text).contains("Account", "Cost center", "Amount (USD)", "Page " + page + " of " + pages);
            }
            stripper.setStartPage(1);
            stripper.setEndPage(pages);
            String all = stripper.getText(document);
            assertThat(all).contains("100000000500", "6,170.00", "grenzüberschreitende", "reverse charge",
                    "USD " + InvoicePdf.format(large.total(), 2));
            assertThat(InvoicePdf.format(large.total(), 2)).isEqualTo("1,545,585.00");
            BufferedImage first = new PDFRenderer(document).renderImageWithDPI(0, 72);
            BufferedImage last = new PDFRenderer(document).renderImageWithDPI(pages - 1, 72);
            assertNotBlank(first);
            assertNotBlank(last);
            save(first, "invoice-large-first.png");
            save(last, "invoice-large-last.png");
        }
    }

    @Test
    void centralEuropeanAndTurkishLettersPrintAndOthersBecomeQuestionMarks() throws IOException {
        InvoiceDocument invoice = InvoiceSamples.invoice();
        InvoiceDocument.Party buyer = new InvoiceDocument.Party("Łódź", "Łódzka Spółka Logistyczna sp. z o.o. / İstanbul Şubesi 東京",
                List.of("ul. Piotrkowska 1", "90-001 Łódź"), "PL", List.of());
        InvoiceDocument doc = new InvoiceDocument(invoice.kind(), invoice.number(), invoice.status(), invoice.issueDate(),
                invoice.dueDate(), invoice.period(), invoice.seller(), buyer, invoice.currency(), invoice.sourceCurrency(),
                invoice.exchangeRate(), invoice.lines(), invoice.costCenterSubtotals(), invoice.subtotal(), invoice.taxLabel(),
                invoice.tax(), invoice.total(), null, invoice.priceBookVersion());

        try (PDDocument document = Loader.loadPDF(InvoicePdf.render(doc))) {
            assertThat(new PDFTextStripper().getText(document))
                    .contains("Łódzka Spółka Logistyczna sp. z o.o.", "İstanbul", "Şubesi ??", "90-001 Łódź", "Poland");
        }
    }

    @Test
    void amountsUseTheCurrencyFractionDigits() {
        assertThat(InvoicePdf.format(new BigDecimal("1234567.5"), InvoicePdf.fractionDigits("JPY"))).isEqualTo("1,234,568");
        assertThat(InvoicePdf.format(new BigDecimal("-1234.5"), InvoicePdf.fractionDigits("EUR"))).isEqualTo("-1,234.50");
        assertThat(InvoicePdf.format(new BigDecimal("1.2345"), InvoicePdf.fractionDigits("BHD"))).isEqualTo("1.234");
        assertThat(InvoicePdf.format(new BigDecimal("12345678901234567890.01"), 2)).isEqualTo("12,345,678,901,234,567,890.01");
    }

    /** Keeps the page image under target/ for a look by eye. */
    private static void save(BufferedImage image, String name) throws IOException {
        Files.createDirectories(Path.of("target"));
        ImageIO.write(image, "png", Path.of("target", name).toFile());
    }

    /** More than 0.5 % of the pixels are not white, and the page is not a single colour. */
    private static void assertNotBlank(BufferedImage image) {
        long inked = 0;
        int first = image.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                varied |= rgb != first;
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r < 240 || g < 240 || b < 240) {
                    inked++;
                }
            }
        }
        assertThat(varied).isTrue();
        assertThat((double) inked / ((long) image.getWidth() * image.getHeight())).isGreaterThan(0.005);
    }
}
