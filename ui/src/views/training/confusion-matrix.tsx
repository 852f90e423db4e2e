import { For, Index } from 'solid-js'

/** The confusion matrix `confusion[true][predicted]` as a table, each cell shaded by its share of the row. */
export function ConfusionMatrix(props: { labels: string[]; confusion: number[][] }) {
  const rowTotal = (row: number[]): number => row.reduce((a, b) => a + b, 0)
  const label = (i: number): string => props.labels[i] ?? `#${i}`
  return (
    <table class="confusion" aria-label="Confusion matrix">
      <thead>
        <tr>
          <th class="corner">true ↓ / predicted →</th>
          <Index each={props.confusion[0] ?? []}>{(_, j) => <th>{label(j)}</th>}</Index>
        </tr>
      </thead>
      <tbody>
        <For each={props.confusion}>
          {(row, i) => (
            <tr>
              <th>{label(i())}</th>
              <For each={row}>
                {(count, j) => {
                  const share = rowTotal(row) > 0 ? count / rowTotal(row) : 0
                  return (
                    <td
                      classList={{ diagonal: i() === j() }}
                      style={{
                        'background-color': `rgba(37, 99, 235, ${(share * 0.85).toFixed(3)})`,
                        color: share > 0.5 ? 'white' : 'inherit',
                      }}
                      title={`${label(i())} → ${label(j())}: ${count} (${Math.round(share * 100)}% of row)`}
                    >
                      {count}
                    </td>
                  )
                }}
              </For>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}
