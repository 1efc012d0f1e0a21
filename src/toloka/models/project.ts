import { z } from 'zod';
import { DateTime, Id, Metadata, Owner } from './common';
import { TaskSpec } from './fieldSpec';
import { QualityControl } from './qualityControl';

export const ProjectStatus = z.enum(['ACTIVE', 'ARCHIVED']);

export const Project = z.looseObject({
  public_name: z.string().min(1),
  public_description: z.string().optional(),
  public_instructions: z.string().optional(),
  private_comment: z.string().optional(),
  task_spec: TaskSpec,
  assignments_issuing_type: z.enum(['AUTOMATED', 'MAP_SELECTOR']).optional(),
  assignments_issuing_view_config: z.looseObject({
    title_template: z.string().optional(),
    description_template: z.string().optional(),
    map_provider: z.enum(['GOOGLE', 'YANDEX']).optional(),
  }).meta({ title: 'IssuingViewConfig' }).optional(),
  quality_control: QualityControl.optional(),
  assignments_automerge_enabled: z.boolean().optional(),
  max_active_assignments_count: z.number().int().min(1).optional(),
  metadata: Metadata.optional(),
  sensitive: z.boolean().optional(),
  localization_config: z.unknown().optional(),
  // Read-only, set by the server.
  id: Id.optional(),
  status: ProjectStatus.optional(),
  created: DateTime.optional(),
  owner: Owner.optional(),
}).meta({ title: 'Project' });
export type Project = z.infer<typeof Project>;
