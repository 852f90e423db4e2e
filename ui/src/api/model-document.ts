/** The fields of LEARN's output document the training view reads (tasks/learn/model-document.ts). */
export interface ModelDocument {
  kind: 'banzai.model/1'
  task: 'classifier' | 'autoencoder'
  backend: string
  labels: string[]
  reason?: string
  metrics: {
    epochs: { loss: number; valLoss: number | null; acc?: number; valAcc?: number | null }[]
    test: { accuracy: number; confusion: number[][]; frameAccuracy?: number; recordings?: number } | { mse: number; baselineMse: number } | null
  }
}
