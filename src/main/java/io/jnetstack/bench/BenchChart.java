package io.jnetstack.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The chart: jnetstack ÷ Linux per workload, one bar each, beside a bar at 1.0 (parity), drawn
 * with XChart. For cost rows (idle bytes, CPU per GB) the bar is Linux ÷ jnetstack, so that for
 * every bar taller is better.
 */
public final class BenchChart {
    private BenchChart() {}

    public static void write(BenchReport report, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> names = new ArrayList<>();
        List<Double> ratios = new ArrayList<>(), parity = new ArrayList<>();
        for (BenchRow r : report.rows()) {
            double ratio = r.ratio();
            if (Double.isNaN(ratio) || ratio <= 0) continue;
            names.add(r.key() + (r.higherBetter() ? "" : " (inv.)"));
            ratios.add(r.higherBetter() ? ratio : 1 / ratio);
            parity.add(1.0);
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("jnetstack vs Linux, same run (log scale, higher is better; 1.0 = parity)")
                .xAxisTitle("workload").yAxisTitle("jnetstack / Linux").build();
        // Ratios span 0.1x..100x: a log axis keeps both ends readable.
        // (Bars start at 0 unless told otherwise, which a log axis cannot draw.)
        chart.getStyler().setYAxisLogarithmic(true);
        double lowest = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        chart.getStyler().setYAxisMin(Math.min(0.1, lowest / 2));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setSeriesColors(new Color[] {new Color(0x2b6cb0), new Color(0xc0c0c0)});
        if (names.isEmpty()) {
            names.add("none");
            ratios.add(1.0);
            parity.add(1.0);
        }
        chart.addSeries("jnetstack ÷ Linux", names, ratios);
        chart.addSeries("Linux (1.0)", names, parity);
        BenchReport.mkdirs(png);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
