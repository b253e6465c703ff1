package dev.openpayer.invoicing;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.openpdf.text.Chunk;
import org.openpdf.text.Document;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.PageSize;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.Rectangle;
import org.openpdf.text.pdf.BaseFont;
import org.openpdf.text.pdf.ColumnText;
import org.openpdf.text.pdf.PdfContentByte;
import org.openpdf.text.pdf.PdfGState;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfPageEventHelper;
import org.openpdf.text.pdf.PdfTemplate;
import org.openpdf.text.pdf.PdfWriter;

/**
 * An invoice or credit note as an A4 PDF: seller and buyer, dates, billing period, the exchange rate when the
 * AWS cost was converted, the lines with their cost centers, subtotals per cost center and the totals. A draft
 * carries a diagonal "DRAFT" watermark. Only the PDF standard Helvetica and Symbol fonts are used, so the
 * output does not depend on the fonts of the machine; text outside their Western, Central European, Baltic
 * and Turkish character sets prints as "?".
 */
final class InvoicePdf {
    private static final Color INK = new Color(0x1F, 0x29, 0x37);
    private static final Color MUTED = new Color(0x6B, 0x72, 0x80);
    private static final Color ACCENT = new Color(0x1E, 0x3A, 0x5F);
    private static final Color RULE = new Color(0xD1, 0xD5, 0xDB);
    private static final Color SHADE = new Color(0xF1, 0xF4, 0xF8);
    private static final Color ALERT = new Color(0xB9, 0x1C, 0x1C);
    private static final Color WATERMARK = new Color(0x9C, 0xA3, 0xAF);

    private static final Style TITLE = new Style(true, 24, ACCENT);
    private static final Style SELLER = new Style(true, 14, ACCENT);
    private static final Style STRONG = new Style(true, 11, INK);
    private static final Style DRAFT_NOTE = new Style(true, 11, ALERT);
    private static final Style BODY = new Style(false, 9, INK);
    private static final Style BODY_MUTED = new Style(false, 9, MUTED);
    private static final Style LABEL = new Style(true, 7.5f, MUTED);
    private static final Style CELL = new Style(false, 8.5f, INK);
    private static final Style CELL_MUTED = new Style(false, 8.5f, MUTED);
    private static final Style CELL_NOTE = new Style(false, 7.5f, MUTED);
    private static final Style HEADER = new Style(true, 8, Color.WHITE);
    private static final Style TOTAL = new Style(true, 11, INK);
    private static final Style FOOTER = new Style(false, 7.5f, MUTED);

    private static final float MARGIN = 42;
    /** The bottom margin leaves room for the footer. */
    private static final float BOTTOM_MARGIN = 66;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.ENGLISH);
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private InvoicePdf() {}

    /** The PDF of the document. */
    static byte[] render(InvoiceDocument doc) {
        Objects.requireNonNull(doc, "doc");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document pdf = new Document(PageSize.A4, MARGIN, MARGIN, MARGIN, BOTTOM_MARGIN);
        PdfWriter writer = PdfWriter.getInstance(pdf, out);
        writer.setPageEvent(new PageDecorations(footerLabel(doc), isDraft(doc)));
        pdf.addTitle(footerLabel(doc));
        if (doc.seller() != null && doc.seller().legalName() != null) {
            pdf.addAuthor(doc.seller().legalName());
        }
        pdf.open();
        pdf.add(heading(doc));
        pdf.add(partiesAndDates(doc));
        if (doc.exchangeRate() != null) {
            Paragraph rate = paragraph(exchangeNote(doc), BODY_MUTED);
            rate.setSpacingBefore(10);
            pdf.add(rate);
        }
        pdf.add(lines(doc));
        if (!doc.costCenterSubtotals().isEmpty()) {
            pdf.add(costCenterSubtotals(doc));
        }
        pdf.add(totals(doc));
        pdf.close();
        return out.toByteArray();
    }

    /** A draft has no number yet. */
    private static boolean isDraft(InvoiceDocument doc) {
        return doc.number() == null || doc.status() == InvoiceDocument.Status.DRAFT;
    }

    private static String title(InvoiceDocument doc) {
        return doc.kind() == InvoiceDocument.Kind.CREDIT_NOTE ? "Credit note" : "Invoice";
    }

    private static String footerLabel(InvoiceDocument doc) {
        String label = title(doc) + " " + (doc.number() == null ? "(draft)" : doc.number());
        if (doc.seller() != null && doc.seller().legalName() != null) {
            label += " \u00b7 " + doc.seller().legalName();
        }
        return label;
    }

    private static String exchangeNote(InvoiceDocument doc) {
        String source = doc.sourceCurrency() == null ? "the AWS currency" : doc.sourceCurrency();
        String pair = doc.sourceCurrency() == null ? doc.currency() : doc.sourceCurrency() + "\u2192" + doc.currency();
        String note = "Converted from " + source + " at " + doc.exchangeRate().stripTrailingZeros().toPlainString() + " " + pair;
        return doc.period() == null ? note : note + " (rate recorded for " + MONTH.format(doc.period()) + ")";
    }

    // --- blocks -------------------------------------------------------------------------------------------

    /** Seller on the left, document title and number on the right. */
    private static PdfPTable heading(InvoiceDocument doc) {
        PdfPTable table = table(new float[] {1.2f, 1f});
        PdfPCell seller = block();
        InvoiceDocument.Party party = doc.seller();
        if (party != null) {
            seller.addElement(paragraph(firstNonBlank(party.name(), party.legalName()), SELLER));
            if (party.legalName() != null && !party.legalName().equals(party.name())) {
                seller.addElement(paragraph(party.legalName(), BODY));
            }
            addAddress(seller, party, BODY_MUTED);
            for (String email : party.emails()) {
                seller.addElement(paragraph(email, BODY_MUTED));
            }
        }
        PdfPCell title = block();
        title.addElement(paragraph(title(doc), TITLE, Element.ALIGN_RIGHT));
        if (doc.number() != null) {
            title.addElement(paragraph("No. " + doc.number(), STRONG, Element.ALIGN_RIGHT));
        }
        if (isDraft(doc)) {
            title.addElement(paragraph("Draft \u2014 not a tax document", DRAFT_NOTE, Element.ALIGN_RIGHT));
        }
        if (doc.kind() == InvoiceDocument.Kind.CREDIT_NOTE && doc.correctsNumber() != null) {
            title.addElement(paragraph("Credits invoice " + doc.correctsNumber(), BODY, Element.ALIGN_RIGHT));
        }
        for (PdfPCell cell : List.of(seller, title)) {
            cell.setBorder(Rectangle.BOTTOM);
            cell.setBorderColor(RULE);
            cell.setBorderWidth(0.75f);
            cell.setPaddingBottom(14);
            table.addCell(cell);
        }
        return table;
    }

    /** The buyer on the left, the dates, currency and price book on the right. */
    private static PdfPTable partiesAndDates(InvoiceDocument doc) {
        PdfPTable table = table(new float[] {1.2f, 1f});
        table.setSpacingBefore(14);
        PdfPCell buyer = block();
        buyer.addElement(paragraph("BILL TO", LABEL));
        InvoiceDocument.Party party = doc.buyer();
        if (party != null) {
            Paragraph legalName = paragraph(firstNonBlank(party.legalName(), party.name()), STRONG);
            legalName.setSpacingBefore(3);
            buyer.addElement(legalName);
            if (party.name() != null && party.legalName() != null && !party.name().equals(party.legalName())) {
                buyer.addElement(paragraph(party.name(), BODY_MUTED));
            }
            addAddress(buyer, party, BODY);
        }
        table.addCell(buyer);

        PdfPTable facts = table(new float[] {1f, 1.4f});
        fact(facts, "Issue date", doc.issueDate() == null ? "On issue" : DATE.format(doc.issueDate()));
        fact(facts, "Due date", date(doc.dueDate()));
        fact(facts, "Billing period", doc.period() == null ? "" : MONTH.format(doc.period()));
        fact(facts, "Currency", text(doc.currency()));
        if (doc.priceBookVersion() != null) {
            fact(facts, "Price book", doc.priceBookVersion());
        }
        PdfPCell right = block();
        right.addElement(facts);
        table.addCell(right);
        return table;
    }

    private static void fact(PdfPTable facts, String label, String value) {
        PdfPCell name = cell(phrase(label, BODY_MUTED), Element.ALIGN_LEFT);
        PdfPCell content = cell(phrase(value, BODY), Element.ALIGN_RIGHT);
        for (PdfPCell cell : List.of(name, content)) {
            cell.setPaddingTop(1.5f);
            cell.setPaddingBottom(1.5f);
            facts.addCell(cell);
        }
    }

    /** The lines, with a header row repeated on every page. */
    private static PdfPTable lines(InvoiceDocument doc) {
        boolean costColumn = doc.lines().stream().anyMatch(line -> line.costBasis() != null);
        PdfPTable table = table(costColumn ? new float[] {14, 16, 40, 15, 15} : new float[] {15, 18, 49, 18});
        table.setSpacingBefore(16);
        table.setHeaderRows(1);
        String currency = text(doc.currency());
        header(table, "Account", Element.ALIGN_LEFT);
        header(table, "Cost center", Element.ALIGN_LEFT);
        header(table, "Service / description", Element.ALIGN_LEFT);
        if (costColumn) {
            header(table, doc.sourceCurrency() == null ? "AWS cost" : "AWS cost (" + doc.sourceCurrency() + ")", Element.ALIGN_RIGHT);
        }
        header(table, currency.isEmpty() ? "Amount" : "Amount (" + currency + ")", Element.ALIGN_RIGHT);

        int digits = fractionDigits(doc.currency());
        int sourceDigits = fractionDigits(doc.sourceCurrency());
        for (InvoiceDocument.Line line : doc.lines()) {
            row(table, phrase(text(line.accountId()), CELL), Element.ALIGN_LEFT);
            row(table, line.costCenter() == null ? phrase("Unallocated", CELL_MUTED) : phrase(line.costCenter(), CELL), Element.ALIGN_LEFT);
            row(table, serviceAndDescription(line), Element.ALIGN_LEFT);
            if (costColumn) {
                row(table, phrase(line.costBasis() == null ? "" : format(line.costBasis(), sourceDigits), CELL_MUTED), Element.ALIGN_RIGHT);
            }
            row(table, phrase(line.amount() == null ? "" : format(line.amount(), digits), CELL), Element.ALIGN_RIGHT);
        }
        if (doc.lines().isEmpty()) {
            PdfPCell none = cell(phrase("No lines", CELL_MUTED), Element.ALIGN_LEFT);
            none.setColspan(table.getNumberOfColumns());
            none.setPadding(6);
            table.addCell(none);
        }
        return table;
    }

    private static Phrase serviceAndDescription(InvoiceDocument.Line line) {
        String service = line.service();
        String description = line.description();
        if (isBlank(service) && isBlank(description)) {
            return phrase(kindName(line.kind()), CELL);
        }
        if (isBlank(service)) {
            return phrase(description, CELL);
        }
        Phrase phrase = phrase(service, CELL);
        if (!isBlank(description)) {
            phrase.add(Chunk.NEWLINE);
            phrase.add(phrase(description, CELL_NOTE));
        }
        return phrase;
    }

    /** Subtotals per cost center, right-aligned under the lines. */
    private static PdfPTable costCenterSubtotals(InvoiceDocument doc) {
        PdfPTable table = table(new float[] {1.5f, 1f});
        table.setWidthPercentage(50);
        table.setHorizontalAlignment(Element.ALIGN_RIGHT);
        table.setSpacingBefore(14);
        table.setHeaderRows(1);
        PdfPCell title = cell(phrase("SUBTOTALS BY COST CENTER", LABEL), Element.ALIGN_LEFT);
        title.setColspan(2);
        title.setBorder(Rectangle.BOTTOM);
        title.setBorderColor(RULE);
        title.setPaddingLeft(5);
        title.setPaddingBottom(4);
        table.addCell(title);
        int digits = fractionDigits(doc.currency());
        for (InvoiceDocument.Subtotal subtotal : doc.costCenterSubtotals()) {
            row(table, phrase(firstNonBlank(subtotal.costCenter(), "Unallocated"), CELL), Element.ALIGN_LEFT);
            row(table, phrase(subtotal.amount() == null ? "" : format(subtotal.amount(), digits), CELL), Element.ALIGN_RIGHT);
        }
        table.setKeepTogether(doc.costCenterSubtotals().size() <= 20);
        return table;
    }

    /** Subtotal, tax and the total in bold. */
    private static PdfPTable totals(InvoiceDocument doc) {
        PdfPTable table = table(new float[] {1.5f, 1f});
        table.setWidthPercentage(50);
        table.setHorizontalAlignment(Element.ALIGN_RIGHT);
        table.setSpacingBefore(12);
        table.setKeepTogether(true);
        int digits = fractionDigits(doc.currency());
        totalRow(table, phrase("Subtotal", BODY), phrase(money(doc.subtotal(), digits), BODY), false);
        if (doc.tax() != null) {
            totalRow(table, phrase(firstNonBlank(doc.taxLabel(), "Tax"), BODY), phrase(money(doc.tax(), digits), BODY), false);
        }
        String currency = text(doc.currency());
        String total = money(doc.total(), digits);
        totalRow(table, phrase("Total", TOTAL), phrase(currency.isEmpty() ? total : currency + " " + total, TOTAL), true);
        return table;
    }

    private static void totalRow(PdfPTable table, Phrase label, Phrase amount, boolean grand) {
        for (PdfPCell cell : List.of(cell(label, Element.ALIGN_LEFT), cell(amount, Element.ALIGN_RIGHT))) {
            cell.setPaddingLeft(5);
            cell.setPaddingRight(5);
            cell.setPaddingTop(grand ? 7 : 3);
            cell.setPaddingBottom(grand ? 7 : 3);
            if (grand) {
                cell.setBorder(Rectangle.TOP);
                cell.setBorderWidth(1.25f);
                cell.setBorderColor(INK);
                cell.setBackgroundColor(SHADE);
            }
            table.addCell(cell);
        }
    }

    // --- table helpers ------------------------------------------------------------------------------------

    private static PdfPTable table(float[] widths) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        return table;
    }

    /** A borderless cell that stacks paragraphs. */
    private static PdfPCell block() {
        PdfPCell cell = new PdfPCell();
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setPadding(0);
        return cell;
    }

    private static PdfPCell cell(Phrase phrase, int alignment) {
        PdfPCell cell = new PdfPCell(phrase);
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setHorizontalAlignment(alignment);
        cell.setLeading(0, 1.25f);
        cell.setPadding(0);
        cell.setUseAscender(true);
        cell.setUseDescender(true);
        return cell;
    }

    private static void header(PdfPTable table, String text, int alignment) {
        PdfPCell cell = cell(phrase(text, HEADER), alignment);
        cell.setBackgroundColor(ACCENT);
        cell.setPadding(5);
        cell.setVerticalAlignment(Element.ALIGN_MIDDLE);
        table.addCell(cell);
    }

    private static void row(PdfPTable table, Phrase phrase, int alignment) {
        PdfPCell cell = cell(phrase, alignment);
        cell.setBorder(Rectangle.BOTTOM);
        cell.setBorderColor(RULE);
        cell.setBorderWidth(0.5f);
        cell.setPaddingLeft(5);
        cell.setPaddingRight(5);
        cell.setPaddingTop(4);
        cell.setPaddingBottom(4);
        table.addCell(cell);
    }

    private static void addAddress(PdfPCell cell, InvoiceDocument.Party party, Style style) {
        for (String line : party.address()) {
            cell.addElement(paragraph(line, style));
        }
        if (!isBlank(party.country())) {
            cell.addElement(paragraph(country(party.country()), style));
        }
    }

    // --- formatting ---------------------------------------------------------------------------------------

    /** The amount with grouping separators and exactly {@code digits} fraction digits, e.g. "-1,234.57". */
    static String format(BigDecimal amount, int digits) {
        DecimalFormat format = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        return format.format(amount);
    }

    /** The currency's fraction digits; 2 when the currency is unknown or has none defined. */
    static int fractionDigits(String currency) {
        if (currency == null) {
            return 2;
        }
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    private static String money(BigDecimal amount, int digits) {
        return amount == null ? "" : format(amount, digits);
    }

    private static String date(LocalDate date) {
        return date == null ? "" : DATE.format(date);
    }

    /** The English name of an ISO 3166 country code; anything else as given. */
    private static String country(String country) {
        return COUNTRIES.contains(country) ? Locale.of("", country).getDisplayCountry(Locale.ENGLISH) : country;
    }

    private static String kindName(String kind) {
        if (isBlank(kind)) {
            return "";
        }
        return kind.charAt(0) + kind.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String firstNonBlank(String value, String fallback) {
        return isBlank(value) ? text(fallback) : value;
    }

    // --- text and fonts -----------------------------------------------------------------------------------

    private static Paragraph paragraph(String text, Style style) {
        return paragraph(text, style, Element.ALIGN_LEFT);
    }

    private static Paragraph paragraph(String text, Style style, int alignment) {
        Paragraph paragraph = new Paragraph(phrase(text, style));
        paragraph.setLeading(0, 1.3f);
        paragraph.setAlignment(alignment);
        return paragraph;
    }

    /**
     * The text in the given style. Each character is set in the first Helvetica encoding that has it
     * (Western, Central European, Baltic, Turkish); the arrow comes from the Symbol font; anything else
     * becomes "?".
     */
    private static Phrase phrase(String text, Style style) {
        Phrase phrase = new Phrase();
        String value = text(text).replace("\r\n", "\n").replace('\r', '\n').replace('\t', ' ');
        if (value.isEmpty()) {
            phrase.add(new Chunk("", Fonts.font(style, 0)));
            return phrase;
        }
        StringBuilder run = new StringBuilder();
        int runFont = -1;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            i += Character.charCount(codePoint);
            int font;
            String glyph;
            if (codePoint == '\u2192') {
                font = Fonts.SYMBOL;
                glyph = "\u00ae";
            } else {
                font = Fonts.encodingOf(codePoint);
                glyph = font < 0 ? "?" : Character.toString(codePoint);
                font = Math.max(font, 0);
            }
            if (font != runFont && !run.isEmpty()) {
                phrase.add(new Chunk(run.toString(), Fonts.font(style, runFont)));
                run.setLength(0);
            }
            runFont = font;
            run.append(glyph);
        }
        phrase.add(new Chunk(run.toString(), Fonts.font(style, runFont)));
        return phrase;
    }

    /** Size, weight and colour of a piece of text. */
    private record Style(boolean bold, float size, Color color) {}

    /** The standard Helvetica fonts in several single-byte encodings, and Symbol for the arrow. */
    private static final class Fonts {
        static final String[] ENCODINGS = {"Cp1252", "Cp1250", "Cp1257", "Cp1254"};
        static final int SYMBOL = ENCODINGS.length;
        static final List<Charset> CHARSETS = Arrays.stream(ENCODINGS).map(Charset::forName).toList();
        static final List<BaseFont> REGULAR = family(BaseFont.HELVETICA);
        static final List<BaseFont> BOLD = family(BaseFont.HELVETICA_BOLD);

        private Fonts() {}

        /** The font in each encoding, then Symbol. */
        private static List<BaseFont> family(String name) {
            List<BaseFont> fonts = new ArrayList<>();
            for (String encoding : ENCODINGS) {
                fonts.add(create(name, encoding));
            }
            fonts.add(create(BaseFont.SYMBOL, BaseFont.WINANSI));
            return List.copyOf(fonts);
        }

        static Font font(Style style, int index) {
            return new Font((style.bold() ? BOLD : REGULAR).get(index), style.size(), Font.NORMAL, style.color());
        }

        static BaseFont base(boolean bold) {
            return (bold ? BOLD : REGULAR).get(0);
        }

        /** The index of the first encoding that has the character, or -1. */
        static int encodingOf(int codePoint) {
            if (codePoint < 0x80) {
                return 0;
            }
            if (Character.isSupplementaryCodePoint(codePoint)) {
                return -1;
            }
            for (int i = 0; i < CHARSETS.size(); i++) {
                CharsetEncoder encoder = CHARSETS.get(i).newEncoder();
                if (encoder.canEncode((char) codePoint)) {
                    return i;
                }
            }
            return -1;
        }

        private static BaseFont create(String name, String encoding) {
            try {
                return BaseFont.createFont(name, encoding, BaseFont.NOT_EMBEDDED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // --- page decorations ---------------------------------------------------------------------------------

    /** Footer with the document label and "Page x of y" on every page; the watermark on drafts. */
    private static final class PageDecorations extends PdfPageEventHelper {
        private final String label;
        private final boolean draft;
        private PdfTemplate pageCount;
        private int pages;

        PageDecorations(String label, boolean draft) {
            this.label = label;
            this.draft = draft;
        }

        @Override
        public void onOpenDocument(PdfWriter writer, Document document) {
            pageCount = writer.getDirectContent().createTemplate(30, 12);
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte canvas = writer.getDirectContent();
            Rectangle page = document.getPageSize();
            if (draft) {
                canvas.saveState();
                PdfGState translucent = new PdfGState();
                translucent.setFillOpacity(0.22f);
                canvas.setGState(translucent);
                ColumnText.showTextAligned(canvas, Element.ALIGN_CENTER, phrase("DRAFT", new Style(true, 130, WATERMARK)),
                        page.getWidth() / 2, page.getHeight() / 2 - 45, 45);
                canvas.restoreState();
            }
            float left = document.left();
            float right = document.right();
            float baseline = MARGIN - 14;
            canvas.saveState();
            canvas.setColorStroke(RULE);
            canvas.setLineWidth(0.5f);
            canvas.moveTo(left, baseline + 10);
            canvas.lineTo(right, baseline + 10);
            canvas.stroke();
            canvas.restoreState();
            pages = document.getPageNumber();
            String pageOf = "Page " + pages + " of ";
            BaseFont font = Fonts.base(false);
            float countWidth = font.getWidthPoint("000", FOOTER.size());
            float pageX = right - countWidth - font.getWidthPoint(pageOf, FOOTER.size());
            ColumnText.showTextAligned(canvas, Element.ALIGN_LEFT, phrase(fit(label, font, pageX - left - 12), FOOTER), left, baseline, 0);
            ColumnText.showTextAligned(canvas, Element.ALIGN_LEFT, phrase(pageOf, FOOTER), pageX, baseline, 0);
            canvas.addTemplate(pageCount, pageX + font.getWidthPoint(pageOf, FOOTER.size()), baseline);
        }

        /** The text, cut short with an ellipsis when it is wider than the room. */
        private static String fit(String text, BaseFont font, float room) {
            if (font.getWidthPoint(text, FOOTER.size()) <= room) {
                return text;
            }
            String cut = text;
            while (!cut.isEmpty() && font.getWidthPoint(cut + "\u2026", FOOTER.size()) > room) {
                cut = cut.substring(0, cut.length() - 1);
            }
            return cut.stripTrailing() + "\u2026";
        }

        @Override
        public void onCloseDocument(PdfWriter writer, Document document) {
            pageCount.beginText();
            pageCount.setFontAndSize(Fonts.base(false), FOOTER.size());
            pageCount.setColorFill(MUTED);
            pageCount.setTextMatrix(0, 0);
            pageCount.showText(Integer.toString(pages));
            pageCount.endText();
        }
    }
}
