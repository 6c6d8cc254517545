/**
 * Charts from the collected series: Vega-Lite specifications compiled and
 * rendered headless to SVG by Vega (no browser, no canvas).
 *
 * @since 0.1.0
 */
import * as vega from "vega"
import * as vl from "vega-lite"

/**
 * Renders a Vega-Lite specification to an SVG document.
 *
 * @since 0.1.0
 * @category charts
 */
export const renderSvg = async (spec: vl.TopLevelSpec): Promise<string> => {
  const compiled = vl.compile(spec).spec
  const view = new vega.View(vega.parse(compiled), { renderer: "none" })
  const svg = await view.toSVG()
  view.finalize()
  return svg
}

/**
 * A line chart of one or more series over `x`.
 *
 * @since 0.1.0
 * @category charts
 */
export const lineChart = (options: {
  readonly title: string
  readonly rows: ReadonlyArray<object>
  readonly x: string
  readonly y: string
  /** A field that splits the rows into one line each. */
  readonly series?: string
  readonly xTitle?: string
  readonly yTitle?: string
}): Promise<string> =>
  renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title,
    width: 640,
    height: 320,
    data: { values: options.rows as Array<Record<string, unknown>> },
    mark: { type: "line" },
    encoding: {
      x: { field: options.x, type: "quantitative", title: options.xTitle ?? options.x },
      y: { field: options.y, type: "quantitative", title: options.yTitle ?? options.y },
      ...(options.series === undefined ? {} : { color: { field: options.series, type: "nominal" } })
    }
  })

/**
 * A histogram of one numeric field (a distribution plot).
 *
 * @since 0.1.0
 * @category charts
 */
export const histogram = (options: {
  readonly title: string
  readonly rows: ReadonlyArray<object>
  readonly field: string
  readonly bins?: number
  readonly series?: string
}): Promise<string> =>
  renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title,
    width: 640,
    height: 320,
    data: { values: options.rows as Array<Record<string, unknown>> },
    mark: { type: "bar" },
    encoding: {
      x: { field: options.field, type: "quantitative", bin: { maxbins: options.bins ?? 40 } },
      y: { aggregate: "count", type: "quantitative" },
      ...(options.series === undefined ? {} : { color: { field: options.series, type: "nominal" } })
    }
  })

/**
 * A bar chart of a value per category (for example a summary metric per
 * parameter value of a sweep).
 *
 * @since 0.1.0
 * @category charts
 */
export const barChart = (options: {
  readonly title: string
  readonly rows: ReadonlyArray<object>
  readonly category: string
  readonly value: string
  readonly series?: string
}): Promise<string> =>
  renderSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title,
    width: 640,
    height: 320,
    data: { values: options.rows as Array<Record<string, unknown>> },
    mark: { type: "bar" },
    encoding: {
      x: { field: options.category, type: "nominal" },
      y: { field: options.value, type: "quantitative", aggregate: "mean" },
      ...(options.series === undefined ? {} : { xOffset: { field: options.series, type: "nominal" }, color: { field: options.series, type: "nominal" } })
    }
  })
