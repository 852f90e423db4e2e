import { onCleanup, onMount } from 'solid-js'
import type uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { loadUPlot } from './load-uplot.ts'

/** One line of an epoch chart. */
export interface ChartSeries {
  label: string
  values: (number | null)[]
  color: string
  dash?: number[]
}

/** Chart height, px. */
const HEIGHT = 260

/** The uPlot options and data of an epoch chart (x: epochs 1…n). Pure, so it can be tested. */
export function buildChart(
  series: ChartSeries[],
  width: number,
  yLabel: string,
): { options: uPlot.Options; data: uPlot.AlignedData } {
  const epochs = Math.max(0, ...series.map((s) => s.values.length))
  const x = Array.from({ length: epochs }, (_, i) => i + 1)
  return {
    options: {
      width,
      height: HEIGHT,
      scales: { x: { time: false } },
      axes: [{ label: 'epoch' }, { label: yLabel }],
      series: [
        { label: 'epoch' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash,
          points: { show: epochs <= 50 },
        })),
      ],
    },
    data: [x, ...series.map((s) => x.map((_, i) => s.values[i] ?? null))],
  }
}

/**
 * A line chart per epoch, drawn with uPlot (loaded on first use, so the rest of the dashboard
 * does not carry it). Follows the width of its container.
 */
export function EpochChart(props: { title: string; yLabel: string; series: ChartSeries[] }) {
  let container: HTMLDivElement | undefined
  let chart: uPlot | null = null
  let observer: ResizeObserver | null = null
  let isDisposed = false
  onMount(() => {
    void loadUPlot().then((UPlot) => {
      if (isDisposed || !container) return
      const width = Math.max(320, container.clientWidth)
      const { options, data } = buildChart(props.series, width, props.yLabel)
      chart = new UPlot(options, data, container)
      if (typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(() => {
          if (container && chart)
            chart.setSize({ width: Math.max(320, container.clientWidth), height: HEIGHT })
        })
        observer.observe(container)
      }
    })
  })
  onCleanup(() => {
    isDisposed = true
    observer?.disconnect()
    chart?.destroy()
  })
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div class="chart-container" ref={container} data-series={props.series.map((s) => s.label).join(',')} />
    </figure>
  )
}
